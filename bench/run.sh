#!/usr/bin/env bash
# bench/run.sh: pgclone's throughput benchmark against pgcopydb, pg_dump/pg_restore
# and the floor (server-side binary COPY of the same data). See --help.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<'EOF'
Usage: bench/run.sh [--help]

Builds a throwaway source and target PostgreSQL 15 cluster and a pgclone-agent
(tests/harness/lib.sh), generates the data set in the source, then clones schema
"bench" into a fresh, empty target database with each contender, in round-robin
order, BENCH_REPEAT times:

  pgclone   SELECT pgclone.schema(src, 'bench', true, '{"parallel": 2}') in the
            target database (wall clock around the psql call)
  pgcopydb  setsid pgcopydb clone --table-jobs 2 --index-jobs 2 (whole database;
            the source's only non-empty schema is bench); "n/a" when not installed
  pg_dump   pg_dump -Fd -Z0 -j 2 -n bench, then pg_restore -j 2 (timed together)
  floor     server-side COPY ... FROM '<file>' (FORMAT binary, FREEZE) into tables
            created in the same transaction, plus their index builds, 2 sessions;
            then foreign keys and sequences. Files made once beforehand.

Each result is checked against the source (row counts and a content hash per
table, columns, indexes, constraints, sequence values); a wrong one is reported as
FAILED with the reason. Prints, per target configuration, best and median time,
the median CPU seconds a run cost the whole machine (every process: servers,
agent, tool), the median WAL the target wrote during a run, MiB/s, the ratio to
pgclone, pgclone/pgcopydb (best and median runs) and pgclone/floor, the agent's
peak RSS and the machine.

Data set: pgbench -i -s SCALE --foreign-keys (moved into schema bench) plus
"events", SCALE*20000 rows of mixed types (int, bigint, numeric, text, timestamptz,
boolean, jsonb, uuid, NULLs) with a bigserial primary key, a CHECK, two secondary
indexes and a foreign key to pgbench_accounts. About 1.2 GiB with indexes at 60.
With BENCH_DATASET=many instead: many small tables (bench/many_tables.sh).

Knobs (environment):
  BENCH_SCALE=60          pgbench scale factor (2 for a smoke run)
  BENCH_REPEAT=3          runs per contender
  BENCH_WARMUP=0          untimed runs before them (of the last contender). Every
                          run drops its target database afterwards; on this VM's
                          ext4 without a journal, files created in the next minutes
                          cost up to 0.4 ms each (the allocator steps over recently
                          deleted inodes), so without a warm-up only the very first
                          timed run escapes that. bench/many_tables.sh sets 1.
  BENCH_JOBS=2            workers / table jobs / index jobs / sessions of every contender
  BENCH_CONTENDERS="pgclone pgcopydb pg_dump floor"
                          also pgclone_masked: pgclone with masks on three columns
                          of events (bench/masked.sh runs it against pgclone)
  BENCH_TARGETS="replica minimal"
                          target configurations, measured in this order, each
                          with every contender's runs and a report section:
                          replica = PostgreSQL's default WAL settings (wal_level
                          replica, fsync, synchronous_commit, full_page_writes
                          on); minimal = tuned for bulk loads (wal_level minimal,
                          max_wal_senders 0, those three off). The source keeps
                          replica with fsync off.
  BENCH_SHARED_BUFFERS=1GB BENCH_MAX_WAL_SIZE=8GB BENCH_CHECKPOINT_TIMEOUT=30min
  BENCH_MAINTENANCE_WORK_MEM=256MB
                          settings of both clusters (the source keeps the
                          harness's fsync=off, synchronous_commit=off,
                          full_page_writes=off; the target's follow BENCH_TARGETS)
  BENCH_VERIFY=content    content: row counts + content hash per table; counts: counts only
  BENCH_MARKDOWN=bench/results/latest.md
                          also write the report there as markdown ('' = don't)
  BENCH_LOG_DIR=          copy every run's logs (tool output, target server log,
                          verification differences) into this directory
  BENCH_AGENT_WORKERS=4   pgclone-agent --workers
  BENCH_AGENT_LOG_LEVEL=info
  BENCH_PGCOPYDB=pgcopydb the pgcopydb binary
  BENCH_MAX_LOCKS_PER_TRANSACTION=64
                          of both clusters (many tables need more)
  BENCH_DATASET=pgbench   or many: BENCH_MANY_TABLES=2000 tables of BENCH_MANY_ROWS=20
                          rows, BENCH_MANY_OBJECTS=plain or rich (bench/many_tables.sh)
  PGCLONE_TEST_PORT_BASE=56200   first port tried for the clusters and the agent
  PGCLONE_AGENT           agent binary (default: pgclone-agent on PATH)
  PGCLONE_TEST_KEEP=1     leave clusters and agent running at the end

Run as root (the clusters run as the postgres OS user). pgclone must be built
and installed (make && make install); pgcopydb comes with
scripts/install-deps.sh.
EOF
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

: "${PGCLONE_TEST_PORT_BASE:=56200}"
export PGCLONE_TEST_PORT_BASE
# shellcheck source=tests/harness/lib.sh
source "$BENCH_DIR/../tests/harness/lib.sh"
for f in common clusters dataset many_tables verify contenders masked sample cluster floor report; do
  # shellcheck source=/dev/null
  source "$BENCH_DIR/lib/$f.sh"
done

# One run: a fresh target database, the timed clone, the check, the drop.
bench_run_one() {
  local c=$1 rep=$2 db="bench_${1}_$2" log secs rc=0 reason off
  log="$PGC_TMPDIR/logs/${BENCH_TARGET:+$BENCH_TARGET-}$c-$rep"
  bench_target_db_create "$db"
  if declare -F "contender_prepare_$c" >/dev/null; then "contender_prepare_$c" "$db"; fi
  bench_psql target postgres -c "CHECKPOINT"
  off=$(stat -c %s "$PGC_TARGET_LOG")
  bench_log "run $rep: $c"
  local t0 cpu0 cpu wal0 wal
  wal0=$(bench_psql target postgres -c "SELECT pg_current_wal_insert_lsn()")
  t0=$(pgc_now)
  cpu0=$(bench_cpu_busy)
  "contender_run_$c" "$db" "$log.out" || rc=$?
  secs=$(pgc_elapsed "$t0")
  cpu=$(awk -v a="$cpu0" -v b="$(bench_cpu_busy)" 'BEGIN { printf "%.2f", b - a }')
  wal=$(bench_psql target postgres -c "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '$wal0')::bigint")
  tail -c +"$((off + 1))" "$PGC_TARGET_LOG" >"$log.server.log" || true
  if [ "$rc" != 0 ]; then
    reason="exit status $rc: $(grep -E 'ERROR|FATAL|error' "$log.out" | head -n 2 | paste -sd ' ')"
    [ "$reason" = "exit status $rc: " ] && reason+=$(tail -n 1 "$log.out")
  else
    if declare -F "contender_verify_$c" >/dev/null; then
      reason=$("contender_verify_$c" "$db" "$log.diff")
    else
      reason=$(bench_verify "$db" "$log.diff")
    fi
  fi
  if [ -n "${BENCH_UNCOUNTED:-}" ]; then
    bench_log "run $rep: $c took $secs s (not counted)${reason:+, FAILED: $reason}"
  elif [ -z "$reason" ]; then
    bench_result_add "$c" "$rep" ok "$secs" "" "$cpu" "$wal"
    bench_log "run $rep: $c took $secs s ($cpu CPU s, $(bench_mib "$wal") MiB of target WAL), verified"
  else
    bench_result_add "$c" "$rep" FAILED "$secs" "$reason" "$cpu" "$wal"
    bench_log "run $rep: $c FAILED after $secs s: $reason (log: $log.out)"
  fi
  bench_target_db_drop "$db"
  if declare -F "contender_cleanup_$c" >/dev/null; then "contender_cleanup_$c"; fi
}

bench_cleanup() {
  local rc=$?
  set +e   # everything below is best effort; pgc_cleanup reads $? as the exit status
  bench_contenders_cleanup
  if [ -n "$BENCH_LOG_DIR" ] && [ -d "${PGC_TMPDIR:-}/logs" ]; then
    mkdir -p "$BENCH_LOG_DIR"
    cp -r "$PGC_TMPDIR/logs/." "$BENCH_LOG_DIR/"
    [ -f "${PGC_AGENT_LOG:-}" ] && cp "$PGC_AGENT_LOG" "$BENCH_LOG_DIR/agent.log"
    bench_log "logs copied to $BENCH_LOG_DIR"
  fi
  (exit "$rc")
  pgc_cleanup
}

main() {
  local c rep i n reason start u first
  local -a all order unavailable
  start=$(pgc_now)
  [ "$(id -u)" -eq 0 ] || bench_die "run as root (the clusters run as the postgres OS user)"
  bench_check_knobs
  pgc_agent_bin >/dev/null || bench_die "pgclone-agent not found: make && make install (or set PGCLONE_AGENT)"
  pgc_init
  trap 'bench_cleanup' EXIT
  mkdir -p "$PGC_TMPDIR/logs"

  bench_clusters_start
  bench_psql target postgres -c "SELECT 1 FROM pg_available_extensions WHERE name = 'pgclone'" | grep -q 1 ||
    bench_die "the pgclone extension is not installed in $PG_CONFIG's PostgreSQL (make install)"
  bench_dataset_create
  bench_dataset_size
  bench_log "source: $BENCH_TABLE_COUNT tables, $(bench_mib "$BENCH_TOTAL_BYTES") MiB with indexes, $(bench_mib "$BENCH_TABLE_BYTES") MiB without"
  bench_verify_init

  # Contenders that cannot run are reported as n/a; the others alternate.
  for c in $BENCH_CONTENDERS; do
    reason=""
    if declare -F "contender_available_$c" >/dev/null; then reason=$("contender_available_$c"); fi
    if [ -n "$reason" ]; then
      bench_log "$c: n/a: $reason"
      unavailable+=("$c"$'\t'"$reason")
    else
      all+=("$c")
    fi
  done
  if [[ " ${all[*]} " == *" floor "* ]]; then bench_floor_prepare; fi
  n=${#all[@]}
  [ "$n" -gt 0 ] || bench_log "no contender can run"
  # Each target configuration in turn, every contender's runs alternating
  # within it; a report section each.
  first=1
  for BENCH_TARGET in $BENCH_TARGETS; do
    bench_target_configure "$BENCH_TARGET"
    BENCH_RESULTS="$PGC_TMPDIR/results-$BENCH_TARGET.tsv"
    : >"$BENCH_RESULTS"
    for u in "${unavailable[@]}"; do bench_result_add "${u%%$'\t'*}" - n/a - "${u#*$'\t'}"; done
    # Untimed runs first: the first timed run would otherwise be the only one
    # that no dropped database precedes (see BENCH_WARMUP above).
    for ((rep = 1; n > 0 && rep <= BENCH_WARMUP; rep++)); do
      bench_log "[$BENCH_TARGET] warm-up $rep of $BENCH_WARMUP (not counted): ${all[n - 1]}"
      BENCH_UNCOUNTED=1 bench_run_one "${all[n - 1]}" "warmup$rep"
    done
    for ((rep = 1; n > 0 && rep <= BENCH_REPEAT; rep++)); do
      order=()
      for ((i = 0; i < n; i++)); do order+=("${all[(i + rep - 1) % n]}"); done
      bench_log "[$BENCH_TARGET] repetition $rep of $BENCH_REPEAT: ${order[*]}"
      for c in "${order[@]}"; do bench_run_one "$c" "$rep"; done
    done
    BENCH_MARKDOWN_APPEND=$((1 - first)) bench_report
    first=0
  done
  bench_log "done in $(pgc_elapsed "$start") s"
}

main
