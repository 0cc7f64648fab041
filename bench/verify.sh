#!/usr/bin/env bash
# bench/verify.sh: pgclone.verify against pgcopydb's `compare data` on the
# benchmark data set (issue 14: "verify is at least as fast as pgcopydb's
# compare data"). See --help.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<'EOF_USAGE'
Usage: bench/verify.sh [--help]

Builds throwaway source and target clusters and the agent (as bench/run.sh),
generates the benchmark data set in the source (pgbench scale BENCH_SCALE plus
the mixed-type events table, schema bench), clones it once with
pgclone.schema(), reads every table once on both sides (so neither contender
pays for hint bits or a cold cache alone), then times, alternating,
BENCH_REPEAT times each:

  pgcopydb        pgcopydb compare data --table-jobs BENCH_JOBS (a fresh --dir
                  each run): per table on both sides count(1) and
                  md5(sum(hashtext(row::text)) || count) with FROM ONLY, tables
                  in BENCH_JOBS processes, each side in its own snapshot
  pgclone         SELECT ... FROM pgclone.verify(src, 'bench',
                  '{"parallel": BENCH_JOBS}'): count(*) and
                  sum(hash_record_extended(ROW(cols), 0)) per table (numeric,
                  jsonb, ... columns by their text), both sides
                  at once, BENCH_JOBS workers, one snapshot per side
  pgclone_count   the same with "mode": "count" (for reference)

Every run must find all tables equal (pgcopydb: exit status 0 and no
"ERROR" in its log; pgclone: every row ✓), else it is reported FAILED. Prints best and
median wall time, the median CPU seconds of the whole machine, and
pgclone/pgcopydb (below 1: pgclone is faster).

pgcopydb with `compare data` (0.13 and later; Debian 12 has 0.10): see
bench/lib/pgcopydb_compare.sh (BENCH_PGCOPYDB_COMPARE, BENCH_PGCOPYDB_SRC,
BENCH_CACHE_DIR, BENCH_PGCOPYDB_TAG=v0.17). Without one, pgcopydb is n/a.

Knobs: BENCH_SCALE (60), BENCH_REPEAT (3), BENCH_JOBS (2), BENCH_AGENT_WORKERS
(4), BENCH_MARKDOWN (bench/results/verify.md; '' = don't write), and the
cluster settings of bench/run.sh --help. Run as root; make install first.
EOF_USAGE
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

: "${PGCLONE_TEST_PORT_BASE:=56300}"
export PGCLONE_TEST_PORT_BASE
: "${BENCH_MARKDOWN=$BENCH_DIR/results/verify.md}"
export BENCH_MARKDOWN
# shellcheck source=tests/harness/lib.sh
source "$BENCH_DIR/../tests/harness/lib.sh"
for f in common clusters dataset pgcopydb_compare; do
  # shellcheck source=/dev/null
  source "$BENCH_DIR/lib/$f.sh"
done

# Not bench/run.sh's clone contenders: this script has its own (below).
BENCH_CONTENDERS=""
VERIFY_DB=bench_verify
RESULTS=()   # "contender rep status seconds cpu reason"

run_pgcopydb() {
  local log=$1 dir="$PGC_TMPDIR/pgcopydb-compare" rc=0
  rm -rf "$dir"
  setsid -w "$PGCOPYDB_COMPARE" compare data \
    --source "$(bench_uri source "$BENCH_SRC_DB")" --target "$(bench_uri target "$VERIFY_DB")" \
    --dir "$dir" --table-jobs "$BENCH_JOBS" </dev/null >"$log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || { echo "exit status $rc: $(grep -E 'ERROR|FATAL' "$log" | head -n 2 | paste -sd ' ')"; return; }
  # A difference is logged as an ERROR ("Table ... has ... on source, ... on target"), exit status 0.
  grep -q ' ERROR ' "$log" && { echo "reports a difference: $(grep ' ERROR ' "$log" | head -n 1)"; return; }
  [ "$(grep -c "^ *$BENCH_SCHEMA\." "$log")" = "$BENCH_TABLE_COUNT" ] || echo "not $BENCH_TABLE_COUNT tables in its output"
}

run_pgclone() {   # run_pgclone LOG OPTIONS_JSON
  local log=$1 options=$2 out
  out=$(bench_psql target "$VERIFY_DB" -F' ' -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
    -c "SELECT count(*), count(*) FILTER (WHERE match = '✓') FROM pgclone.verify('$(bench_conninfo source "$BENCH_SRC_DB")', '$BENCH_SCHEMA', '$options')" \
    2>"$log") || { echo "failed: $(head -n 2 "$log" | paste -sd ' ')"; return; }
  echo "$out" >>"$log"
  read -r total equal <<<"$out"
  [ "$total" = "$BENCH_TABLE_COUNT" ] || { echo "$total tables verified, $BENCH_TABLE_COUNT expected"; return; }
  [ "$equal" = "$total" ] || echo "$((total - equal)) tables not ✓"
}

run_one() {   # run_one CONTENDER REP
  local c=$1 rep=$2 log="$PGC_TMPDIR/verify-$1-$2.log" t0 cpu0 secs cpu reason
  t0=$(pgc_now)
  cpu0=$(bench_cpu_busy)
  case $c in
    pgcopydb) reason=$(run_pgcopydb "$log") ;;
    pgclone) reason=$(run_pgclone "$log" "{\"parallel\": $BENCH_JOBS}") ;;
    pgclone_count) reason=$(run_pgclone "$log" "{\"parallel\": $BENCH_JOBS, \"mode\": \"count\"}") ;;
  esac
  secs=$(pgc_elapsed "$t0")
  cpu=$(awk -v a="$cpu0" -v b="$(bench_cpu_busy)" 'BEGIN { printf "%.2f", b - a }')
  if [ -z "$reason" ]; then
    RESULTS+=("$c $rep ok $secs $cpu -")
    bench_log "run $rep: $c took $secs s ($cpu CPU s), all tables equal"
  else
    RESULTS+=("$c $rep FAILED $secs $cpu $reason")
    bench_log "run $rep: $c FAILED after $secs s: $reason (log: $log)"
  fi
}

times_of() {   # times_of CONTENDER FIELD(4=secs, 5=cpu) -> values of its ok runs
  local r
  for r in "${RESULTS[@]}"; do
    set -- $r
    if [ "$1" = "$C" ] && [ "$3" = ok ]; then echo "${!F}"; fi
  done
  return 0
}

report() {
  local c best median cpu_median lines=() pgclone_median="" pgcopydb_median="" pgclone_best="" pgcopydb_best="" r
  lines+=("pgclone.verify vs pgcopydb compare data: schema $BENCH_SCHEMA, pgbench scale $BENCH_SCALE + events,"
          "$BENCH_TABLE_COUNT tables, $(bench_mib "$BENCH_TABLE_BYTES") MiB of tables; $BENCH_REPEAT runs each, alternating;"
          "BENCH_JOBS=$BENCH_JOBS (pgcopydb --table-jobs, pgclone \"parallel\"); pgcopydb: $PGCOPYDB_VERSION"
          "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $("$PGC_PG_BINDIR/postgres" --version)"
          ""
          "| contender | best s | median s | median CPU s | runs ok |" "|---|---|---|---|---|")
  for c in $CONTENDERS; do
    read -r best median <<<"$(bench_stats $(C=$c F=4 times_of))"
    read -r _ cpu_median <<<"$(bench_stats $(C=$c F=5 times_of))"
    lines+=("| $c | ${best:--} | ${median:--} | ${cpu_median:--} | $(C=$c F=4 times_of | wc -l)/$BENCH_REPEAT |")
    [ "$c" = pgclone ] && { pgclone_median=$median; pgclone_best=$best; }
    [ "$c" = pgcopydb ] && { pgcopydb_median=$median; pgcopydb_best=$best; }
  done
  lines+=("" "pgclone/pgcopydb time: median $(bench_div "${pgclone_median:-}" "${pgcopydb_median:-}"), best $(bench_div "${pgclone_best:-}" "${pgcopydb_best:-}")")
  for r in "${RESULTS[@]}"; do
    case $r in *" FAILED "*) lines+=("FAILED: $r") ;; esac
  done
  printf '%s\n' "${lines[@]}"
  if [ -n "$BENCH_MARKDOWN" ]; then
    { echo "# pgclone.verify vs pgcopydb compare data"; echo
      echo "Command: \`BENCH_SCALE=$BENCH_SCALE BENCH_REPEAT=$BENCH_REPEAT BENCH_JOBS=$BENCH_JOBS bench/verify.sh\`"; echo
      printf '%s\n' "${lines[@]}"; } >"$BENCH_MARKDOWN"
    bench_log "report written to $BENCH_MARKDOWN"
  fi
}

main() {
  local start rep i n c out
  local -a all order
  start=$(pgc_now)
  [ "$(id -u)" -eq 0 ] || bench_die "run as root (the clusters run as the postgres OS user)"
  bench_check_knobs
  pgc_agent_bin >/dev/null || bench_die "pgclone-agent not found: make && make install (or set PGCLONE_AGENT)"
  CONTENDERS="pgcopydb pgclone pgclone_count"
  PGCOPYDB_COMPARE=$(bench_pgcopydb_compare) || PGCOPYDB_COMPARE=""
  if [ -n "$PGCOPYDB_COMPARE" ]; then
    PGCOPYDB_VERSION="$("$PGCOPYDB_COMPARE" --version 2>/dev/null | awk '/^pgcopydb version/ { print $3; exit }') ($PGCOPYDB_COMPARE)"
  else
    PGCOPYDB_VERSION="n/a (no pgcopydb with compare data)"; CONTENDERS="pgclone pgclone_count"
  fi
  pgc_init
  trap 'pgc_cleanup' EXIT
  bench_clusters_start
  bench_dataset_create
  bench_dataset_size
  bench_log "source: $BENCH_TABLE_COUNT tables, $(bench_mib "$BENCH_TABLE_BYTES") MiB without indexes"
  bench_target_db_create "$VERIFY_DB"
  bench_psql target "$VERIFY_DB" -c "CREATE EXTENSION pgclone"
  out=$(bench_psql target "$VERIFY_DB" -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
    -c "SELECT pgclone.schema('$(bench_conninfo source "$BENCH_SRC_DB")', '$BENCH_SCHEMA', true, '{\"parallel\": $BENCH_JOBS}')")
  bench_log "cloned: $out"
  for c in source target; do
    db=$BENCH_SRC_DB; [ "$c" = target ] && db=$VERIFY_DB
    bench_psql "$c" "$db" -c "VACUUM (ANALYZE)" -c "CHECKPOINT"
  done
  run_one pgclone 0   # warm-up, not counted: both sides read once
  RESULTS=()
  read -r -a all <<<"$CONTENDERS"
  n=${#all[@]}
  for ((rep = 1; rep <= BENCH_REPEAT; rep++)); do
    order=()
    for ((i = 0; i < n; i++)); do order+=("${all[(i + rep - 1) % n]}"); done
    bench_log "repetition $rep of $BENCH_REPEAT: ${order[*]}"
    for c in "${order[@]}"; do run_one "$c" "$rep"; done
  done
  report
  bench_log "done in $(pgc_elapsed "$start") s"
}

main
