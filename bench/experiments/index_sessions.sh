#!/usr/bin/env bash
# Would building a table's indexes on several sessions, and attaching its
# primary key USING INDEX (pgcopydb's way), beat pgclone's way of building them
# one after another inside the load's own transaction?
#
#   A (pgclone): BEGIN; TRUNCATE; COPY ... FREEZE; ADD PRIMARY KEY; CREATE INDEX;
#                CREATE INDEX; COMMIT — one session.
#   B (USING INDEX): the same load committed; then CREATE UNIQUE INDEX and the two
#                CREATE INDEX on three sessions at once; then ADD CONSTRAINT
#                PRIMARY KEY USING INDEX (instant).
# Each is timed on events (a primary key and two secondary indexes) while
# pgbench_accounts is loaded alongside, with its primary key, as pgclone's other
# worker would; the time is until both tables are done. Pipes are psql | psql,
# the same for both, so only the difference between A and B means something.
#
# Runs against the clusters a kept benchmark leaves behind:
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/run.sh
#   bench/experiments/index_sessions.sh /tmp/pgclone-test.XXXXXX/env.sh [ROUNDS]
set -euo pipefail
env_file=${1:?usage: index_sessions.sh ENV_FILE [ROUNDS]}
rounds=${2:-3}
DB=index_sessions
source "$(dirname "$0")/lib.sh"
pre_data

load() {  # TABLE [statements to run after the COPY, in its transaction]
  local table=$1
  shift
  copy_out "$table" | "${PT[@]}" -c "SET maintenance_work_mem = '1GB'" -c "BEGIN" -c "TRUNCATE bench.$table" \
    -c "COPY bench.$table FROM STDIN (FORMAT binary, FREEZE)" "$@" -c "COMMIT"
}
index() { "${PT[@]}" -c "SET maintenance_work_mem = '1GB'" -c "$1"; }

events_pk="ALTER TABLE bench.events ADD CONSTRAINT events_pkey PRIMARY KEY (id)"
events_aid="CREATE INDEX events_aid_idx ON bench.events (aid)"
events_created="CREATE INDEX events_created_at_idx ON bench.events (created_at DESC) INCLUDE (kind)"

one() {   # one A|B
  "${PT[@]}" -c "ALTER TABLE bench.pgbench_accounts DROP CONSTRAINT IF EXISTS pgbench_accounts_pkey" \
    -c "ALTER TABLE bench.events DROP CONSTRAINT IF EXISTS events_pkey" \
    -c "DROP INDEX IF EXISTS bench.events_aid_idx, bench.events_created_at_idx" \
    -c "TRUNCATE bench.pgbench_accounts, bench.events" -c "CHECKPOINT" 2>/dev/null
  local t0 events
  t0=$(pgc_now)
  load pgbench_accounts -c "ALTER TABLE bench.pgbench_accounts ADD PRIMARY KEY (aid)" &
  if [ "$1" = A ]; then
    load events -c "$events_pk" -c "$events_aid" -c "$events_created"
  else
    load events
    index "CREATE UNIQUE INDEX events_pkey ON bench.events (id)" &
    index "$events_aid" &
    index "$events_created" &
    wait %2 %3 %4
    "${PT[@]}" -c "ALTER TABLE bench.events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey"
  fi
  events=$(pgc_elapsed "$t0")
  wait
  printf '%s  events done %6.2f s  both done %6.2f s\n' "$1" "$events" "$(pgc_elapsed "$t0")"
}

echo "target wal_level: $(pgc_psql target -d postgres -c 'SHOW wal_level')"
for _ in $(seq 1 "$rounds"); do one A; one B; done
pgc_psql target -d postgres -c "DROP DATABASE $DB" >/dev/null
