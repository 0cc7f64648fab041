# shellcheck shell=bash
# bench/lib/report.sh: the runs' results file and the printed / markdown report.
#
# $BENCH_RESULTS (one file per target configuration) holds one line per run:
# contender, repetition, status (ok, FAILED, n/a), seconds, reason, CPU seconds
# (machine-wide busy time), bytes of WAL the target wrote — tab separated.

bench_result_add() {   # CONTENDER REP STATUS SECONDS REASON [CPU_SECONDS [WAL_BYTES]]
  # "-" for an empty field: read with IFS=tab would merge two tabs into one.
  local reason=${5//$'\t'/ }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${reason:--}" "${6:--}" "${7:--}" >>"$BENCH_RESULTS"
}

# bench_time_ratio CONTENDER BASE WHAT: "CONTENDER/BASE time: M median, B best   (WHAT)",
# or why there is no ratio: a contender's own report line (contender_report_NAME).
bench_time_ratio() {
  local c=$1 base=$2 what=$3 st c_best c_median base_best base_median
  IFS=$'\t' read -r st c_best c_median _ < <(bench_summary "$c")
  [ "$st" = ok ] || { echo "$c/$base time: n/a ($c: $st)"; return; }
  IFS=$'\t' read -r st base_best base_median _ < <(bench_summary "$base")
  [ "$st" = ok ] || { echo "$c/$base time: n/a ($base: $st)"; return; }
  echo "$c/$base time: $(bench_div "$c_median" "$base_median" 2) median," \
    "$(bench_div "$c_best" "$base_best" 2) best   ($what)"
}

# bench_summary CONTENDER -> "status best median runs_ok runs_total per-run-times reason cpu_median wal_mib_median"
# status: ok | FAILED | n/a ; values "-" when there is none.
bench_summary() {
  local c=$1 status=ok reason="" best median ok_times=() all_times=() ok_cpus=() ok_wals=() n=0 nfail=0 st secs why cpu wal
  local cpu_median wal_median
  while IFS=$'\t' read -r _ _ st secs why cpu wal; do
    n=$((n + 1))
    [ "$why" = - ] && why=""
    case $st in
      ok) ok_times+=("$secs"); all_times+=("$secs"); [ "${cpu:--}" != - ] && ok_cpus+=("$cpu")
          [ "${wal:--}" != - ] && ok_wals+=("$wal") ;;
      FAILED) nfail=$((nfail + 1)); all_times+=("${secs}!"); reason=${reason:-$why} ;;
      n/a) status=n/a; reason=$why ;;
    esac
  done < <(awk -F'\t' -v c="$c" '$1 == c' "$BENCH_RESULTS")
  [ "$nfail" -gt 0 ] && status=FAILED
  read -r best median < <(bench_stats "${ok_times[@]}")
  read -r _ cpu_median < <(bench_stats "${ok_cpus[@]}")
  read -r _ wal_median < <(bench_stats "${ok_wals[@]}")
  [ "$cpu_median" = - ] || cpu_median=$(awk -v v="$cpu_median" 'BEGIN { printf "%.1f", v }')
  [ "$wal_median" = - ] || wal_median=$(bench_mib "${wal_median%.*}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$status" "$best" "$median" "${#ok_times[@]}" "$n" \
    "${all_times[*]:--}" "${reason:--}" "$cpu_median" "$wal_median"
}

# Prints the report; with BENCH_MARKDOWN set, writes it as markdown there too.
bench_report() {
  local c status best median times reason mibs ratio cpu wal pg_best="" pg_median="" copydb_best="" copydb_median=""
  local floor_best="" dump_best=""
  local total_mib table_mib rss_kb rss
  local -a rows=()
  total_mib=$(bench_mib "$BENCH_TOTAL_BYTES")
  table_mib=$(bench_mib "$BENCH_TABLE_BYTES")
  IFS=$'\t' read -r status pg_best pg_median _ < <(bench_summary pgclone)
  [ "$status" = ok ] || { pg_best=""; pg_median=""; }
  for c in $BENCH_CONTENDERS; do
    IFS=$'\t' read -r status best median _ _ times reason cpu wal < <(bench_summary "$c")
    [ "$reason" = - ] && reason=""
    mibs=$(bench_div "$total_mib" "$best" 1)
    ratio=$(bench_div "$best" "$pg_best" 2)
    if [ "$status" = ok ]; then
      case $c in
        pgcopydb) copydb_best=$best; copydb_median=$median ;;
        floor) floor_best=$best ;;
        pg_dump) dump_best=$best ;;
      esac
    fi
    rows+=("$c"$'\t'"$best"$'\t'"$median"$'\t'"$cpu"$'\t'"$wal"$'\t'"$mibs"$'\t'"$ratio"$'\t'"$times"$'\t'"$status${reason:+: $reason}")
  done
  # Contenders' own lines (contender_report_NAME), e.g. the masked/unmasked ratio.
  BENCH_R_EXTRA=()
  for c in $BENCH_CONTENDERS; do
    declare -F "contender_report_$c" >/dev/null || continue
    mapfile -t -O "${#BENCH_R_EXTRA[@]}" BENCH_R_EXTRA < <("contender_report_$c")
  done
  if [ -n "$dump_best" ] && [ -n "$pg_best" ]; then
    BENCH_R_EXTRA+=("pgclone/(pg_dump + pg_restore) time: $(bench_div "$pg_best" "$dump_best" 2)   (best runs; below 1: pgclone is faster)")
  fi
  rss_kb=$(bench_agent_peak_rss_kb)
  rss=$([ "$rss_kb" = - ] && echo "-" || echo "$(bench_mib $((rss_kb * 1024))) MiB")

  if [ "$BENCH_DATASET" = many ]; then
    BENCH_R_TITLE="pgclone benchmark: schema $BENCH_SCHEMA, $(bench_many_description)"
  else
    BENCH_R_TITLE="pgclone benchmark: schema $BENCH_SCHEMA, pgbench scale $BENCH_SCALE + events ($((BENCH_SCALE * BENCH_EVENTS_PER_SCALE)) rows), $BENCH_TABLE_COUNT tables"
  fi
  BENCH_R_TITLE+=", target configuration $BENCH_TARGET"
  BENCH_R_SIZE="source size: $total_mib MiB with indexes (sum of pg_total_relation_size; MiB/s below uses this), $table_mib MiB without (sum of pg_table_size)"
  local warmup=""
  [ "$BENCH_WARMUP" -eq 0 ] || warmup=" after $BENCH_WARMUP untimed"
  BENCH_R_RUNS="$BENCH_REPEAT run(s) per contender$warmup, round-robin order, $BENCH_JOBS workers/jobs each, target configuration $BENCH_TARGET ($(bench_target_description)); every result checked against the source ($BENCH_VERIFY)"
  BENCH_R_NOTE="pgclone ends with ANALYZE and pgcopydb runs VACUUM ANALYZE per table, both inside their time; pg_restore and the floor do neither"
  BENCH_R_RATIO1="pgclone/pgcopydb time: $(bench_div "$pg_best" "$copydb_best" 2 | sed "s|^-$|n/a|") best, $(bench_div "$pg_median" "$copydb_median" 2 | sed "s|^-$|n/a|") median   (best runs, median runs; below 1: pgclone is faster)"
  BENCH_R_RATIO2="pgclone/floor time:    $(bench_div "$pg_best" "$floor_best" 2 | sed "s|^-$|n/a|")   (how far pgclone is from what the target server itself needs)"
  BENCH_R_WAL="WAL MiB is the median of what the target wrote to its WAL during a run (pg_current_wal_insert_lsn before and after)"
  BENCH_R_CPU="CPU s is the median of the machine's busy CPU time per run (user + system of every process: source, target, agent or tool; $(nproc) CPUs): the work a run costs, apart from how well it used the CPUs"
  BENCH_R_RSS="agent peak RSS (VmHWM over all its runs): $rss"

  {
    echo
    echo "== $BENCH_R_TITLE"
    echo "   $BENCH_R_SIZE"
    echo "   $BENCH_R_RUNS"
    bench_machine_lines | sed 's/^/   /'
    echo
    printf '%-10s %9s %9s %7s %8s %8s %10s  %-24s %s\n' contender "best s" "median s" "CPU s" "WAL MiB" "MiB/s" "x pgclone" "runs (s; ! = failed)" result
    local r
    for r in "${rows[@]}"; do
      IFS=$'\t' read -r c best median cpu wal mibs ratio times status <<<"$r"
      printf '%-10s %9s %9s %7s %8s %8s %10s  %-24s %s\n' "$c" "$best" "$median" "$cpu" "$wal" "$mibs" "$ratio" "$times" "$status"
    done
    echo
    echo "$BENCH_R_RATIO1"
    echo "$BENCH_R_RATIO2"
    [ ${#BENCH_R_EXTRA[@]} -eq 0 ] || printf '%s\n' "${BENCH_R_EXTRA[@]}"
    echo "$BENCH_R_RSS"
    echo "note: $BENCH_R_NOTE"
    echo "note: $BENCH_R_CPU"
    echo "note: $BENCH_R_WAL"
  }
  [ -n "$BENCH_MARKDOWN" ] && bench_report_markdown "${rows[@]}"
  return 0
}

bench_machine_lines() {
  local cpu ram
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  ram=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "machine: $(nproc) CPUs ($cpu), $ram RAM, $(uname -sr)"
  echo "server:  $(bench_psql target postgres -c 'SELECT version()' | sed 's/ on .*//')"
  echo "target:  $(bench_settings target)"
  echo "source:  $(bench_settings source)"
  local c v
  for c in $BENCH_CONTENDERS; do
    declare -F "contender_version_$c" >/dev/null || continue
    v=$("contender_version_$c" 2>/dev/null) || true
    [ -n "$v" ] && echo "tool:    $v"
  done
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# The target configuration's settings in words.
bench_target_description() {
  case $BENCH_TARGET in
    replica) echo "PostgreSQL's default WAL settings: wal_level replica, fsync, synchronous_commit and full_page_writes on" ;;
    minimal) echo "tuned for bulk loads: wal_level minimal, fsync, synchronous_commit and full_page_writes off" ;;
  esac
}

# Writes (the first section) or appends (BENCH_MARKDOWN_APPEND=1: the next
# target configuration's) the report as markdown.
bench_report_markdown() {
  local out=$BENCH_MARKDOWN r c best median cpu wal mibs ratio times status
  mkdir -p "$(dirname "$out")"
  [ "${BENCH_MARKDOWN_APPEND:-0}" = 1 ] || : >"$out"
  {
    [ "${BENCH_MARKDOWN_APPEND:-0}" = 1 ] && echo
    echo "## $BENCH_R_TITLE"
    echo
    echo "$BENCH_R_SIZE. $BENCH_R_RUNS."
    echo
    echo "| contender | best s | median s | CPU s | WAL MiB | MiB/s | × pgclone time | runs (s) | result |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
    for r in "$@"; do
      IFS=$'\t' read -r c best median cpu wal mibs ratio times status <<<"$r"
      echo "| $c | $best | $median | $cpu | $wal | $mibs | $ratio | $times | ${status//|/\\|} |"
    done
    echo
    echo "- $BENCH_R_RATIO1"
    echo "- $BENCH_R_RATIO2"
    [ ${#BENCH_R_EXTRA[@]} -eq 0 ] || printf -- '- %s\n' "${BENCH_R_EXTRA[@]}"
    echo "- $BENCH_R_RSS"
    echo "- $BENCH_R_NOTE"
    echo "- $BENCH_R_CPU"
    echo "- $BENCH_R_WAL"
    echo
    echo '```'
    bench_machine_lines
    echo '```'
    echo
    if [ "$BENCH_DATASET" = many ]; then
      echo "Produced by \`BENCH_TARGETS=\"$BENCH_TARGETS\" BENCH_MANY_TABLES=$BENCH_MANY_TABLES BENCH_MANY_ROWS=$BENCH_MANY_ROWS BENCH_MANY_OBJECTS=$BENCH_MANY_OBJECTS BENCH_REPEAT=$BENCH_REPEAT BENCH_WARMUP=$BENCH_WARMUP ${BENCH_COMMAND:-bench/run.sh}\`."
    else
      echo "Produced by \`BENCH_SCALE=$BENCH_SCALE BENCH_REPEAT=$BENCH_REPEAT BENCH_TARGETS=\"$BENCH_TARGETS\" ${BENCH_COMMAND:-bench/run.sh}\`."
    fi
  } >>"$out"
  bench_log "markdown report written to $out"
}
