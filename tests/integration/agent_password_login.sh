#!/usr/bin/env bash
# The README's setup for an agent that is not on the database server's host:
# the agent logs in to the target over TCP with a role of its own and a
# password (scram-sha-256, from a passfile of the agent's), and the caller's
# source takes its own password too. Here the "remote" host is 127.0.0.1:
# what differs from the harness's default setup (peer-less trust over the
# socket as postgres) is exactly the authentication on both servers.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

dir="$PGC_TMPDIR/agent"
passfile="$dir/target.pgpass"
AGENT_ROLE=pgclone_agent_login
AGENT_PW=Agent_Login_Marker_6614
q() { pgc_psql target -c "$1"; }

restore() {
  [ -f "$dir/servers.list.saved" ] && mv "$dir/servers.list.saved" "$dir/servers.list" && pgc_write_servers_file &&
    pgc_agent_reload >/dev/null
  pgc_scram_logout target "$AGENT_ROLE"
  q "DROP TABLE IF EXISTS basic.empty_via_password" -c "DROP ROLE IF EXISTS $AGENT_ROLE" >/dev/null 2>&1
}
trap 'restore; pgc_cleanup' EXIT

q "DROP ROLE IF EXISTS $AGENT_ROLE" >/dev/null
PGOPTIONS="-c log_statement=none" q "CREATE ROLE $AGENT_ROLE LOGIN SUPERUSER PASSWORD '$AGENT_PW'" >/dev/null
pgc_scram_login target "$AGENT_ROLE"
printf '127.0.0.1:%s:*:%s:%s\n' "$PGC_TARGET_PORT" "$AGENT_ROLE" "$AGENT_PW" >"$passfile"
chown postgres:postgres "$passfile"
chmod 600 "$passfile"

# Enrol the target anew: same key, target over TCP with the agent's own role.
cp "$dir/servers.list" "$dir/servers.list.saved"
awk -v port="$PGC_TARGET_PORT" -v role="$AGENT_ROLE" -v pf="$passfile" \
  '$1 == "target" { print $1, $2, "host=127.0.0.1 port=" port " user=" role " passfile=" pf; next } { print }' \
  "$dir/servers.list.saved" >"$dir/servers.list"
pgc_write_servers_file
pgc_agent_reload
t_like "$(grep -c "user=$AGENT_ROLE passfile" "$dir/servers.json")" '^1$' "the target is enrolled with a TCP login of the agent's own role"

r=$(PGC_PSQL_USER=postgres pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO_PW', 'basic', 'empty', true, 'empty_via_password')")
t_like "$r" '^OK OK: cloned' "a clone works with the agent logging in by scram-sha-256 and the source taking its own password" "$r"
t_is "$(q "SELECT tableowner FROM pg_tables WHERE schemaname = 'basic' AND tablename = 'empty_via_password'")" "postgres" \
  "the table belongs to the caller, not to the agent's login"

# A wrong password in the agent's passfile: the call fails clearly, nothing hangs.
printf '127.0.0.1:%s:*:%s:%s\n' "$PGC_TARGET_PORT" "$AGENT_ROLE" "wrong" >"$passfile"
r=$(PGC_SQL_PRE="SET pgclone.agent_timeout = '20s'" pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO_PW', 'basic', 'empty', true, 'empty_wrong_login')")
t_like "$r" '^ERROR (28P01|08001) .*(password authentication failed|could not log in).*' \
  "with a wrong password the agent cannot verify the caller: a clear error" "${r:0:400}"
t_unlike "$r" "$AGENT_PW|wrong" "the error shows no password"
t_unlike "$(cat "$PGC_AGENT_LOG")" "$AGENT_PW" "the agent's log never shows its login's password"
t_done
