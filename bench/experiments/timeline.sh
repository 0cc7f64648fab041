#!/usr/bin/env bash
# Where does a pgclone schema clone spend its time? Runs one clone of schema
# bench into a fresh target database with the target logging every statement
# and its duration, then prints each target session's statements on one time
# axis (seconds from the first), longest first within the clone's phases.
#
# Runs against the clusters a kept benchmark leaves behind:
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/run.sh
#   bench/experiments/timeline.sh /tmp/pgclone-test.XXXXXX/env.sh [OPTIONS_JSON [SCHEMA [MIN_MS]]]
# (statements shorter than MIN_MS, 50 by default, are left out)
set -euo pipefail
env_file=${1:?usage: timeline.sh ENV_FILE [OPTIONS_JSON [SCHEMA [MIN_MS]]]}
options=${2:-'{"parallel": 2}'}
schema=${3:-bench}
min_ms=${4:-50}
DB=timeline
source "$(dirname "$0")/lib.sh"
source_conninfo="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT user=postgres dbname=bench"
"${PT[@]}" -c "CREATE EXTENSION pgclone" >/dev/null
"${PT[@]}" -d postgres -c "ALTER SYSTEM SET log_min_duration_statement = 0" \
  -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] '" -c "SELECT pg_reload_conf()" >/dev/null
"${PT[@]}" -d postgres -c "CHECKPOINT" >/dev/null
log_start=$(stat -c %s "$PGC_TARGET_LOG")
t0=$(pgc_now)
"${PT[@]}" -d "$DB" -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
  -c "SELECT pgclone.schema('$source_conninfo', '$schema', true, '$options')"
echo "clone took $(pgc_elapsed "$t0") s"
"${PT[@]}" -d postgres -c "ALTER SYSTEM RESET log_min_duration_statement" \
  -c "ALTER SYSTEM RESET log_line_prefix" -c "SELECT pg_reload_conf()" >/dev/null

# "2026-11-26 17:06:22.123 UTC [1234] LOG:  duration: 12.3 ms  statement: ..."
tail -c +"$((log_start + 1))" "$PGC_TARGET_LOG" | awk -v min_ms="$min_ms" '
  / duration: / {
    split($2, hms, ":"); end = hms[1] * 3600 + hms[2] * 60 + hms[3]
    pid = $4; ms = $7
    sub(/.*(statement|execute [^:]*): /, ""); stmt = substr($0, 1, 90)
    start = end - ms / 1000
    if (first == "" || start < first) first = start
    n++; S[n] = start; E[n] = end; P[n] = pid; T[n] = stmt; M[n] = ms
  }
  END {
    for (i = 1; i <= n; i++) if (M[i] >= min_ms)
      printf "%7.2f %7.2f %6.2fs %-9s %s\n", S[i] - first, E[i] - first, M[i] / 1000, P[i], T[i]
  }' | sort -n
