#!/usr/bin/env bash
# What does a table cost in statements? Runs one pgclone schema clone and
# one pg_dump -Fd -j + pg_restore -j of schema bench into fresh target
# databases with both servers logging every statement they receive
# (log_statement = all), and prints, per tool and per server, the
# statements received (each simple-protocol query string or extended-protocol
# execute) and that number per table of the schema. A statement is a round
# trip unless it was pipelined: pgclone sends its DDL in pipelines of up to
# 256 statements (clone/step_runner.h).
#
# Runs against the clusters a kept many-tables benchmark leaves behind:
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/many_tables.sh
#   bench/experiments/round_trips.sh /tmp/pgclone-test.XXXXXX/env.sh [OPTIONS_JSON]
set -euo pipefail
env_file=${1:?usage: round_trips.sh ENV_FILE [OPTIONS_JSON]}
options=${2:-'{"parallel": 2}'}
DB=round_trips
source "$(dirname "$0")/lib.sh"
source_conninfo="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT user=postgres dbname=bench"
target_conninfo="host=$PGC_TARGET_SOCK port=$PGC_TARGET_PORT user=postgres dbname=$DB"
tables=$("${PS[@]}" -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'bench'::regnamespace AND relkind IN ('r', 'p')")

trap 'statement_logging log_statement' EXIT

# count LOGFILE OFFSET APP_PATTERN: statements the server received from it
count() {
  tail -c +"$(($2 + 1))" "$1" | grep -E "app=($3) " | grep -cE 'LOG:  (statement|execute [^:]*): ' || true
}

measure() {   # measure NAME APP_PATTERN COMMAND...
  local name=$1 apps=$2 src_off tgt_off t0 secs src tgt
  shift 2
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
  "${PT[@]}" -c "CREATE EXTENSION pgclone" >/dev/null
  sleep 0.5   # the reload reached every backend
  src_off=$(stat -c %s "$PGC_SOURCE_LOG")
  tgt_off=$(stat -c %s "$PGC_TARGET_LOG")
  t0=$(pgc_now)
  "$@" >/dev/null
  secs=$(pgc_elapsed "$t0")
  sleep 0.5
  src=$(count "$PGC_SOURCE_LOG" "$src_off" "$apps")
  tgt=$(count "$PGC_TARGET_LOG" "$tgt_off" "$apps")
  printf '%-22s %8s %10s %8s %10s %8s\n' "$name" "$secs" "$src" \
    "$(awk -v n="$src" -v t="$tables" 'BEGIN { printf "%.1f", n / t }')" "$tgt" \
    "$(awk -v n="$tgt" -v t="$tables" 'BEGIN { printf "%.1f", n / t }')"
}

pgclone_clone() {
  "${PT[@]}" -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
    -c "SELECT pgclone.schema('$source_conninfo', 'bench', true, '$options')"
}
dump_restore() {
  rm -rf "$PGC_TMPDIR/round_trips.dump"
  "$PGC_PG_BINDIR/pg_dump" -Fd -Z0 -j 2 -n bench -f "$PGC_TMPDIR/round_trips.dump" -d "$source_conninfo"
  "$PGC_PG_BINDIR/pg_restore" -j 2 -d "$target_conninfo" "$PGC_TMPDIR/round_trips.dump"
  rm -rf "$PGC_TMPDIR/round_trips.dump"
}

statement_logging log_statement "'all'"
echo "schema bench: $tables tables; statements each server received (log_statement = all)"
printf '%-22s %8s %10s %8s %10s %8s\n' tool seconds source "/table" target "/table"
measure "pgclone $options" 'pgclone-agent' pgclone_clone
measure "pg_dump + pg_restore -j2" 'pg_dump|pg_restore' dump_restore
