#!/usr/bin/env bash
# SIGHUP re-reads the agent's servers file: a broken file leaves the previous
# enrolment in force, and a server whose key was removed is refused from its
# next request on (a connection opened before, and a new one), until it is
# enrolled again.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

dir="$PGC_TMPDIR/agent"
cp -p "$dir/servers.json" "$dir/servers.json.saved"   # keeps its owner (the agent's user) and mode 0600
restore() {
  [ -f "$dir/servers.json.saved" ] || return 0
  mv "$dir/servers.json.saved" "$dir/servers.json"
  pgc_agent_running && pgc_agent_reload >/dev/null
}
trap 'restore; pgc_cleanup' EXIT
status() { PGC_SQL_PRE="SET pgclone.agent_timeout = '3s'" pgc_try_target "SELECT pgclone.agent_status()::jsonb ->> 'agent_version'"; }

t_like "$(status)" '^OK 0\.' "before: the target is served"

echo '{"servers": [' >"$dir/servers.json"   # not JSON
pgc_agent_signal HUP
for _ in $(seq 1 50); do grep -q 'reload failed' "$PGC_AGENT_LOG" && break; sleep 0.1; done
t_like "$(grep 'reload failed' "$PGC_AGENT_LOG" | tail -1)" 'previous enrolment stays in force' "a broken servers file is refused on SIGHUP"
t_like "$(status)" '^OK 0\.' "and the target is still served"

# The same file without the target's entry, while a session that has talked
# to the agent already waits to talk to it again.
pgc_bg_start before "SELECT pgclone.agent_status() IS NOT NULL; SELECT pg_sleep(3); SELECT pgclone.jobs()" \
  "SET pgclone.agent_timeout = '3s'"
sleep 1
/usr/bin/python3 - "$dir/servers.json.saved" "$dir/servers.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["servers"] = [s for s in doc["servers"] if s["name"] != "target"]
json.dump(doc, open(sys.argv[2], "w"))
PY
pgc_agent_reload
r=$(PGC_SQL_PRE="SET pgclone.agent_timeout = '3s'" pgc_try_target "SELECT pgclone.agent_status()")
t_like "$r" '^ERROR 28000 pgclone agent at "[^"]*" refused this server.s key' "a new session of an unenrolled server is refused at once with 28000" "$r"
pgc_bg_wait before 15 >/dev/null 2>&1
r=$(pgc_bg_output before)
t_like "$r" 'ERROR: +28000: this server.s key is no longer enrolled' \
  "a session authenticated before the removal is refused from its next request on" "$r"

restore
rm -f "$dir/servers.json.saved"
t_like "$(status)" '^OK 0\.' "enrolled again (SIGHUP), the target is served"
t_done
