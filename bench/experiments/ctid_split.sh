#!/usr/bin/env bash
# Does splitting the dominating table (pgbench_accounts) into two ctid ranges,
# loaded by two sessions side by side, beat one session that loads it with
# TRUNCATE + COPY ... FREEZE? Two sessions into one table cannot use FREEZE
# (nor, with wal_level=minimal, skip WAL): the table was not created or
# truncated in their transactions.
#
# Runs against the clusters a kept benchmark leaves behind:
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/run.sh
#   bench/experiments/ctid_split.sh /tmp/pgclone-test.XXXXXX/env.sh [ROUNDS]
# Each round times, alternately, A (one FREEZE stream for accounts) and B (two
# ctid-range streams, no FREEZE), each with events loaded alongside as pgclone
# would with 2 workers, then accounts' primary key and a first full scan (which
# sets hint bits on rows not written frozen). Pipes are psql | psql, the same for
# both, so only the difference between A and B means something.
set -euo pipefail
env_file=${1:?usage: ctid_split.sh ENV_FILE [ROUNDS]}
rounds=${2:-2}
DB=ctid_split
source "$(dirname "$0")/lib.sh"
pre_data
half=$(( $("${PS[@]}" -Atc "SELECT pg_relation_size('bench.pgbench_accounts') / 8192") / 2 ))

frozen_load() { copy_out "$1" "" | "${PT[@]}" -c "BEGIN" -c "TRUNCATE bench.$1" \
  -c "COPY bench.$1 FROM STDIN (FORMAT binary, FREEZE)" -c "COMMIT"; }
range_load() { copy_out pgbench_accounts "WHERE $1" | "${PT[@]}" -c "COPY bench.pgbench_accounts FROM STDIN (FORMAT binary)"; }

one() {   # one A|B
  "${PT[@]}" -c "TRUNCATE bench.pgbench_accounts, bench.events" -c "CHECKPOINT"
  local t0 t1 copy pk scan
  t0=$(pgc_now)
  if [ "$1" = A ]; then
    frozen_load pgbench_accounts &
  else
    range_load "ctid < '($half,0)'" &
    range_load "ctid >= '($half,0)'" &
  fi
  frozen_load events &
  wait
  copy=$(pgc_elapsed "$t0")
  t1=$(pgc_now); "${PT[@]}" -c "ALTER TABLE bench.pgbench_accounts ADD PRIMARY KEY (aid)"; pk=$(pgc_elapsed "$t1")
  t1=$(pgc_now); "${PT[@]}" -c "SELECT count(*) FROM bench.pgbench_accounts WHERE abalance <> 0" >/dev/null
  scan=$(pgc_elapsed "$t1")
  "${PT[@]}" -c "ALTER TABLE bench.pgbench_accounts DROP CONSTRAINT pgbench_accounts_pkey"
  printf '%s  copy phase %6.2f s  accounts PK %5.2f s  first scan %5.2f s  total %6.2f s\n' \
    "$1" "$copy" "$pk" "$scan" "$(pgc_elapsed "$t0")"
}

echo "target wal_level: $(pgc_psql target -d postgres -c 'SHOW wal_level')"
for _ in $(seq 1 "$rounds"); do one A; one B; done
pgc_psql target -d postgres -c "DROP DATABASE $DB" >/dev/null
