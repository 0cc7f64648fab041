#!/usr/bin/env bash
# A source that accepts TCP connections and never answers must not hold the
# agent's workers: four async clones from such a source (connect_timeout=0 in
# the conninfo, libpq's "wait forever") occupy every worker while connecting;
# pgclone.cancel() ends each of them — `cancelled` in jobs_view within 1 s —
# and the agent clones again right after. Without a cancel, the agent's own
# connect timeout ends such a job (connect_timeout=1 is raised to 2 s).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

q() { pgc_psql target -c "$1"; }
status_of() { q "SELECT coalesce((SELECT status FROM pgclone.jobs_view WHERE job_id = $1), 'absent')"; }

# ---------------------------------------------------------------- the silent source
SILENT_PORT=$(pgc_free_port)
ACCEPTED="$PGC_TMPDIR/silent_source.accepted"
rm -f "$ACCEPTED"
(
  trap - EXIT INT TERM HUP
  pgc_close_fds
  exec python3 - "$SILENT_PORT" "$ACCEPTED" <<'PY'
import socket, sys
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(64)
held = []
while True:
    conn, _ = listener.accept()
    held.append(conn)  # kept open, never read, never answered
    with open(sys.argv[2], "w") as f:
        f.write(str(len(held)))
PY
) </dev/null >/dev/null 2>&1 &
SILENT_PID=$!
trap 'kill "$SILENT_PID" 2>/dev/null; pgc_cleanup' EXIT   # (pgc_cleanup: a no-op unless this script built its own clusters)
for _ in $(seq 1 50); do pgc_port_in_use "$SILENT_PORT" && break; sleep 0.1; done
pgc_port_in_use "$SILENT_PORT"
t_ok $? "a silent listener on 127.0.0.1:$SILENT_PORT (accepts, never answers)"

SILENT="host=127.0.0.1 port=$SILENT_PORT dbname=$PGC_SOURCE_DB user=postgres connect_timeout=0"
pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1

# ---------------------------------------------------------------- four jobs stuck connecting
# By default one role runs on at most half the workers (trust_attacks.sh shows
# another role getting through); here the four jobs are to hold every worker.
pgc_agent_restart --max-running-per-role 4 >/dev/null || pgc_die "the agent did not restart"
accepted_before=$(cat "$ACCEPTED" 2>/dev/null || echo 0)
jobs=()
for i in 1 2 3 4; do
  jobs+=("$(q "SELECT pgclone.table_async('$SILENT', 'slow', 'big', true, 'big_silent_$i')")")
done
t_like "${jobs[*]}" '^[0-9]+ [0-9]+ [0-9]+ [0-9]+$' "four jobs submitted (${jobs[*]})"
ids=$(IFS=,; echo "${jobs[*]}")
connecting=0
for _ in $(seq 1 100); do
  connecting=$(q "SELECT count(*) FROM pgclone.jobs_view
                  WHERE job_id IN ($ids) AND status = 'running' AND current_phase = 'connecting'")
  [ "$connecting" = 4 ] && break
  sleep 0.1
done
t_is "$connecting" 4 "all four jobs are running, in phase connecting"
sleep 0.5   # well inside the connect attempt (10 s with connect_timeout=0)
t_is "$(( $(cat "$ACCEPTED" 2>/dev/null || echo 0) - accepted_before ))" 4 "the listener holds the four source connections"

# ---------------------------------------------------------------- cancel each
for j in "${jobs[@]}"; do
  t0=$(pgc_now)
  q "SELECT pgclone.cancel($j)" >/dev/null
  st=$(status_of "$j")
  while [ "$st" != cancelled ] && pgc_lt "$(pgc_elapsed "$t0")" 1.0; do
    sleep 0.02
    st=$(status_of "$j")
  done
  took=$(pgc_elapsed "$t0")
  t_is "$st" cancelled "job $j is cancelled in jobs_view within 1 s of pgclone.cancel() (${took}s)"
done
t_is "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN ($ids) AND error_message LIKE '%was cancelled%'")" 4 \
  "each reports the cancel, not a connection error"

# ---------------------------------------------------------------- the workers are free again
t0=$(pgc_now)
out=$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_after_silent', '{\"where\": \"id <= 10\"}')")
took=$(pgc_elapsed "$t0")
t_like "$out" '^OK OK:.*\b10 rows\b' "the agent clones again right after (${took}s): $out"

# ---------------------------------------------------------------- the agent's own bound
j=$(q "SELECT pgclone.table_async('host=127.0.0.1 port=$SILENT_PORT dbname=$PGC_SOURCE_DB user=postgres connect_timeout=1', 'slow', 'big', true, 'big_silent_timeout')")
t0=$(pgc_now)
t_is "$(q "SELECT pgclone.wait($j, '10s')")" failed "uncancelled, job $j fails on its own"
took=$(pgc_elapsed "$t0")
pgc_lt "$took" 3.5; t_ok $? "after the 2 s minimum connect timeout (${took}s)"
t_like "$(q "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $j")" \
  'could not connect to source server: timeout expired after 2 s' "its error says so"

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
pgc_agent_restart >/dev/null || pgc_die "the agent did not restart with its default limits"
t_done
