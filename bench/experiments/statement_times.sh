#!/usr/bin/env bash
# Where does a schema clone spend the servers' time, and when? Runs one
# pgclone schema clone into a fresh target database with both servers logging
# every statement's duration (log_min_duration_statement = 0), then prints per
# server, for the agent's sessions: each kind of statement (first words), how
# many, their summed duration (parse + bind + execute, so a COPY's time
# includes waiting for its data), and the first and last second it ran at —
# the clone's phases (catalog reads on the source, CREATE TABLEs, the loads)
# show as time ranges. Logging every statement slows the clone; compare kinds
# within one run, not the wall time with an unlogged run.
#
# Runs against the clusters a kept benchmark leaves behind:
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/many_tables.sh
#   bench/experiments/statement_times.sh /tmp/pgclone-test.XXXXXX/env.sh [OPTIONS_JSON [SOURCE_DB [SCHEMA]]]
set -euo pipefail
env_file=${1:?usage: statement_times.sh ENV_FILE [OPTIONS_JSON [SOURCE_DB [SCHEMA]]]}
options=${2:-'{"parallel": 2}'}
source_db=${3:-bench}
schema=${4:-bench}
DB=statement_times
source "$(dirname "$0")/lib.sh"
source_conninfo="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT user=postgres dbname=$source_db"

trap 'statement_logging log_min_duration_statement' EXIT

# summarize LOG_EXCERPT NAME: the agent's statements by kind, most time first
summarize() {
  echo "== $2"
  printf '%-40s %7s %9s %8s %17s\n' statement count ms "ms each" "from..to (s)"
  awk '
    / app=pgclone-agent LOG:  duration: / {
      split($2, hms, ":"); t = hms[1] * 3600 + hms[2] * 60 + hms[3]
      if (t0 == "") t0 = t
      line = $0
      sub(/.* duration: /, "", line); ms = line + 0
      sub(/^[0-9.]+ ms  (statement|parse [^:]*|bind [^:]*|execute [^:]*): /, "", line)
      split(line, w, " ")
      kind = toupper(w[1])
      if (kind ~ /^(SELECT|WITH|CREATE|LOCK)$/) kind = kind " " toupper(w[2])
      if (kind == "ALTER") kind = "ALTER TABLE ... " toupper(w[5]) " " toupper(w[6])
      n[kind]++; sum[kind] += ms
      if (!(kind in first)) first[kind] = t - t0
      last[kind] = t - t0
    }
    END {
      for (k in n) printf "%012.3f\t%-40s %7d %9.0f %8.3f %8.2f..%-8.2f\n", sum[k], substr(k, 1, 40), n[k], sum[k], sum[k] / n[k], first[k], last[k]
    }' "$1" | sort -r | cut -f2 | head -n 25
}

statement_logging log_min_duration_statement 0
"${PT[@]}" -c "CREATE EXTENSION pgclone" >/dev/null
pgc_psql target -d postgres -c "CHECKPOINT" >/dev/null
sleep 0.5   # the reload reached every backend
src_off=$(stat -c %s "$PGC_SOURCE_LOG")
tgt_off=$(stat -c %s "$PGC_TARGET_LOG")
t0=$(pgc_now)
"${PT[@]}" -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
  -c "SELECT pgclone.schema('$source_conninfo', '$schema', true, '$options')" >/dev/null
echo "schema $schema of database $source_db cloned in $(pgc_elapsed "$t0") s (every statement logged)"
sleep 0.5
tail -c +"$((src_off + 1))" "$PGC_SOURCE_LOG" >"$PGC_TMPDIR/statement_times.source.log"
tail -c +"$((tgt_off + 1))" "$PGC_TARGET_LOG" >"$PGC_TMPDIR/statement_times.target.log"
summarize "$PGC_TMPDIR/statement_times.source.log" source
summarize "$PGC_TMPDIR/statement_times.target.log" target
echo "(seconds are counted from each server's first statement of the agent)"
