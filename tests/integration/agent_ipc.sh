#!/usr/bin/env bash
# An agent on an ipc:// endpoint: the socket file gets the mode the operator
# chose, and only the allowed OS users get through even when the socket is
# world-writable and they hold an enrolled key (a leaked key file).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

PY=/usr/bin/python3
HARNESS="$PGC_REPO/tests/harness"
dir="$PGC_TMPDIR/ipc_agent"
sock="$dir/agent.sock"
mkdir -p "$dir/state"
chown -R postgres:postgres "$dir"
chmod 755 "$dir"
postgres_uid=$(id -u postgres)

(
  trap - EXIT INT TERM HUP
  pgc_close_fds
  pgc_exec_as_pg "$(pgc_agent_bin)" --listen "ipc://$sock" --ipc-mode 0666 --ipc-allow-uid "$postgres_uid" \
    --state-dir "$dir/state" --key "$PGC_TMPDIR/agent/agent.key" --servers "$PGC_TMPDIR/agent/servers.json" \
    --workers 1 >"$dir/agent.log" 2>&1
) </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
t_ok "$([ -S "$sock" ] && echo 0 || echo 1)" "the agent listens on ipc://$sock"
t_is "$(stat -c %a "$sock" 2>/dev/null)" "666" "the socket file has the mode of --ipc-mode"
agent_pid=$(pgrep -f -- "--listen ipc://$sock" | head -1)

status_from() {  # status_from OSUSER KEYFILE -> replies received
  runuser -u "$1" -- "$PY" - "$HARNESS" "ipc://$sock" "$(cat "$PGC_TMPDIR/agent/agent.pub")" "$2" <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import agent_peer as ap
s = ap.dealer(sys.argv[2], server_key=sys.argv[3].encode(), client_keys=ap.read_key_file(sys.argv[4]))
s.send_multipart([ap.TAG, ap.envelope(ap.STATUS, 1, ap.pack([0]))])
kind, _ = ap.wait_reply(s, 1, 3000)
print(kind)
PYEOF
}

t_is "$(status_from postgres "$PGC_TMPDIR/target/pgclone.key")" "20" \
  "the server's OS user with the enrolled key gets a status reply"
leaked="$dir/leaked.key"
cp "$PGC_TMPDIR/target/pgclone.key" "$leaked"
chown nobody "$leaked"
chmod 600 "$leaked"
t_is "$(status_from nobody "$leaked")" "None" "another OS user with a copy of the enrolled key gets nothing"
t_like "$(grep 'refused' "$dir/agent.log")" "ipc peer uid $(id -u nobody) is not allowed" "the agent logged why"
t_like "$(pgc_try_target "SET pgclone.agent_endpoint = 'ipc://$sock'; SELECT pgclone.agent_status()")" \
  '^OK .*"endpoint":"ipc://' "a backend reaches the agent over ipc://"

kill "$agent_pid" 2>/dev/null
for _ in $(seq 1 100); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.05; done
t_done
