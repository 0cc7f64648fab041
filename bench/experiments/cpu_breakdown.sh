#!/usr/bin/env bash
# Who pays for a pgclone schema clone? Runs one clone of schema bench into a
# fresh target database and prints the CPU seconds (user + system) spent by the
# source cluster, the target cluster and the agent during it, next to the
# machine's busy time (the rest is the kernel's softirq work and everything else).
#
# A cluster's CPU is its postmaster's own and reaped children's time plus that of
# its living children, so backends and parallel workers that exit during the
# clone are counted too.
#
# Runs against the clusters a kept benchmark leaves behind:
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/run.sh
#   bench/experiments/cpu_breakdown.sh /tmp/pgclone-test.XXXXXX/env.sh [OPTIONS_JSON [RUNS]]
set -euo pipefail
env_file=${1:?usage: cpu_breakdown.sh ENV_FILE [OPTIONS_JSON [RUNS]]}
options=${2:-'{"parallel": 2}'}
runs=${3:-1}
DB=cpu_breakdown
source "$(dirname "$0")/lib.sh"
source_conninfo="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT user=postgres dbname=bench"
hz=$(getconf CLK_TCK)

# ticks PID [with_children]: utime + stime (+ cutime + cstime) of one process
ticks() {
  awk -v kids="${2:-}" '{ sub(/^.*\) /, ""); t = $12 + $13; if (kids) t += $14 + $15; print t }' \
    "/proc/$1/stat" 2>/dev/null || echo 0
}
cluster_ticks() {
  local postmaster total child
  postmaster=$(head -1 "$1/postmaster.pid")
  total=$(ticks "$postmaster" with_children)
  for child in $(pgrep -P "$postmaster"); do
    total=$((total + $(ticks "$child" with_children)))
  done
  echo "$total"
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
seconds() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'; }

agent=$(pgc_agent_pid)
printf '%-5s %8s %8s %8s %8s %8s %8s\n' run wall_s source_s target_s agent_s other_s machine_s
for ((run = 1; run <= runs; run++)); do
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  "${PT[@]}" -c "CREATE EXTENSION pgclone" >/dev/null
  "${PT[@]}" -d postgres -c "CHECKPOINT" >/dev/null
  s0=$(cluster_ticks "$PGC_SOURCE_DATA"); t0=$(cluster_ticks "$PGC_TARGET_DATA")
  a0=$(ticks "$agent"); m0=$(machine_ticks); w0=$(pgc_now)
  "${PT[@]}" -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
    -c "SELECT pgclone.schema('$source_conninfo', 'bench', true, '$options')" >/dev/null
  wall=$(pgc_elapsed "$w0")
  s=$(($(cluster_ticks "$PGC_SOURCE_DATA") - s0))
  t=$(($(cluster_ticks "$PGC_TARGET_DATA") - t0))
  a=$(($(ticks "$agent") - a0)); m=$(($(machine_ticks) - m0))
  printf '%-5s %8s %8s %8s %8s %8s %8s\n' "$run" "$wall" "$(seconds $s)" "$(seconds $t)" \
    "$(seconds $a)" "$(seconds $((m - s - t - a)))" "$(seconds $m)"
done
