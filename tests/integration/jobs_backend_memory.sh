#!/usr/bin/env bash
# The backend only waits (issue 4): a synchronous pgclone.table() of a
# 1.5-million-row table does not make the calling backend's memory grow, and
# no background worker of pgclone shows in pg_stat_activity while it runs.
# The backend's VmRSS (/proc/<pid>/status) is sampled every ~0.05 s; the peak
# during the call minus the RSS just before it must stay under 20 MB.
# Source: a database of its own on the source cluster (created and dropped here).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC_DB=jobs_mem_src
ROWS=1500000
LIMIT_KB=$((20 * 1024))
SRC="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC_DB user=postgres"
APP=pgclone_tests_memory_$$
D="$PGC_TMPDIR/jobs_mem"
rm -rf "$D"; mkdir -p "$D"
src() { PGC_SOURCE_DB=$SRC_DB pgc_psql source "$@"; }
q() { pgc_psql target -c "$1"; }

pgc_psql source -c "DROP DATABASE IF EXISTS $SRC_DB" -c "CREATE DATABASE $SRC_DB" >/dev/null
t0=$(pgc_now)
src -c "CREATE SCHEMA mem" \
    -c "CREATE UNLOGGED TABLE mem.big (id bigint NOT NULL, v text NOT NULL)" \
    -c "INSERT INTO mem.big SELECT g, substr(md5(g::text), 1, 20) FROM generate_series(1, $ROWS) g" \
    -c "ALTER TABLE mem.big SET LOGGED" -c "VACUUM ANALYZE mem.big" >/dev/null
t_is "$(src -c "SELECT count(*) FROM mem.big")" "$ROWS" "source table mem.big has $ROWS rows (generated in $(pgc_elapsed "$t0") s)"
q "DROP SCHEMA IF EXISTS mem CASCADE" >/dev/null 2>&1

# The clone in a background session: load the library first (agent_status),
# sit in pg_sleep (baseline samples), then the synchronous clone, bracketed by
# the session's own clock so samples are assigned to phases by time.
(
  trap - EXIT INT TERM HUP
  pgc_close_fds
  PGAPPNAME=$APP pgc_psql target -v VERBOSITY=verbose \
    -c "SELECT pgclone.agent_status()" -c "SELECT pg_sleep(1.5)" \
    -c "SELECT 'clone_start ' || extract(epoch FROM clock_timestamp())" \
    -c "SELECT pgclone.table('$SRC', 'mem', 'big')" \
    -c "SELECT 'clone_end ' || extract(epoch FROM clock_timestamp())" >"$D/out" 2>&1
  echo $? >"$D/rc"
) </dev/null >/dev/null 2>&1 &

pid=""
for _ in $(seq 1 100); do
  pid=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = '$APP' LIMIT 1")
  [ -n "$pid" ] && break
  sleep 0.05
done
t_like "$pid" '^[0-9]+$' "found the calling backend (pid $pid)"

# Memory: read from /proc every ~50 ms by a loop that runs no other program,
# so a busy machine still gets many samples. Background workers: a slower
# loop of queries on both servers.
: >"$D/samples"
: >"$D/bgworkers"
apid=$(pgc_agent_pid)
(
  while [ ! -e "$D/rc" ] && [ -r "/proc/$pid/status" ]; do
    rss="" anon="" arss=""
    while read -r key value _; do
      case $key in VmRSS:) rss=$value ;; RssAnon:) anon=$value ;; esac
    done <"/proc/$pid/status" 2>/dev/null
    while read -r key value _; do
      [ "$key" = VmRSS: ] && arss=$value
    done <"/proc/$apid/status" 2>/dev/null
    [ -n "$rss" ] && echo "${EPOCHREALTIME/,/.} $rss ${anon:-0} ${arss:-0}" >>"$D/samples"
    sleep 0.05
  done
) &
sampler=$!
BGW="backend_type = 'background worker' OR backend_type ILIKE '%pgclone%'"
while [ ! -e "$D/rc" ] && [ -r "/proc/$pid/status" ]; do
  q "SELECT 'target', backend_type, application_name FROM pg_stat_activity WHERE $BGW" >>"$D/bgworkers" 2>&1
  pgc_psql source -c "SELECT 'source', backend_type, application_name FROM pg_stat_activity WHERE $BGW" >>"$D/bgworkers" 2>&1
  sleep 0.2
done
for _ in $(seq 1 50); do [ -e "$D/rc" ] && break; sleep 0.1; done
wait "$sampler" 2>/dev/null

out=$(cat "$D/out")
t_is "$(cat "$D/rc" 2>/dev/null)" 0 "the synchronous clone succeeded"
t_like "$out" "OK: cloned mem\.big, $ROWS rows" "it reports $ROWS rows"
t_is "$(q "SELECT count(*) FROM mem.big")" "$ROWS" "the target has $ROWS rows"

clone_start=$(awk '$1 == "clone_start" { print $2 }' <<<"$out")
clone_end=$(awk '$1 == "clone_end" { print $2 }' <<<"$out")
phase_of='{ p = ($1 < s) ? "before" : ($1 <= e ? "clone" : "after") }'
base=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "before" { v = $2 } END { print v + 0 }' "$D/samples")
base_anon=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "before" { v = $3 } END { print v + 0 }' "$D/samples")
n_clone=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "clone" { n++ } END { print n + 0 }' "$D/samples")
peak=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "clone" && $2 > m { m = $2 } END { print m + 0 }' "$D/samples")
peak_anon=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "clone" && $3 > m { m = $3 } END { print m + 0 }' "$D/samples")
agent_base=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "before" { v = $4 } END { print v + 0 }' "$D/samples")
agent_peak=$(awk -v s="$clone_start" -v e="$clone_end" "$phase_of"' p == "clone" && $4 > m { m = $4 } END { print m + 0 }' "$D/samples")
clone_s=$(awk -v s="$clone_start" -v e="$clone_end" 'BEGIN { printf "%.1f", e - s }')
growth=$((peak - base))
t_diag "backend RSS: ${base} kB before the call, peak ${peak} kB during it (+${growth} kB) over $n_clone samples;" \
       "anonymous memory: ${base_anon} kB -> peak ${peak_anon} kB (+$((peak_anon - base_anon)) kB)" \
       "agent RSS: ${agent_base} kB before, peak ${agent_peak} kB during the clone; clone sampled over ${clone_s} s"
t_ok "$([ "$base" -gt 0 ] && echo 0 || echo 1)" "a baseline RSS was measured before the call ($base kB)"
t_ok "$([ "$n_clone" -ge 4 ] && echo 0 || echo 1)" "the clone was sampled at least 4 times ($n_clone samples, ~0.05 s apart)"
t_ok "$([ "$growth" -lt "$LIMIT_KB" ] && echo 0 || echo 1)" \
  "the backend's RSS grew by less than 20 MB while cloning $ROWS rows (+$growth kB)"
t_ok "$([ $((peak_anon - base_anon)) -lt "$LIMIT_KB" ] && echo 0 || echo 1)" \
  "its anonymous memory too (+$((peak_anon - base_anon)) kB)"
t_is "$(wc -l <"$D/bgworkers" | tr -d ' ')" 0 "no background worker in pg_stat_activity (source or target) during the clone"
[ -s "$D/bgworkers" ] && t_diag "$(sort -u "$D/bgworkers")"

q "DROP SCHEMA IF EXISTS mem CASCADE" >/dev/null 2>&1
pgc_psql source -c "DROP DATABASE IF EXISTS $SRC_DB" >/dev/null
t_done
