#!/usr/bin/env bash
# The attacks of issue 10, repeated against the agent and the extension as an
# unprivileged OS user (nobody) and as an ordinary database role. Each check
# failed on the agent before authentication (see the issue): a forged request
# was served as superuser, claimed identities listed and resumed other roles'
# jobs, the agent lent its own login to non-superusers, an ordinary role could
# redirect the agent endpoint, a pattern crashed the backend, and a silent
# source held every worker.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

PY=/usr/bin/python3   # Debian's, with python3-zmq
HARNESS="$PGC_REPO/tests/harness"
AGENT_PUB=$(cat "$PGC_TMPDIR/agent/agent.pub")
TARGET_KEY="$PGC_TMPDIR/target/pgclone.key"
SRC_SOCKET="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$PGC_SOURCE_DB"
SRC_TCP="host=127.0.0.1 port=$PGC_SOURCE_PORT dbname=$PGC_SOURCE_DB"
ALICE=trust_alice
BOB=trust_bob

as() { pgc_try_as "$@"; }
sqlstate() { awk '{print $2}' <<<"$1"; }
jobs_total() { pgc_psql target -c "SELECT count(*) FROM pgclone.jobs_view"; }
postmaster_started() { pgc_psql target -c "SELECT pg_postmaster_start_time()"; }

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS trust_other" -c "DROP DATABASE IF EXISTS trust_newdb" >/dev/null
for role in $ALICE $BOB; do
  pgc_psql target -c "DROP OWNED BY $role" >/dev/null 2>&1 || true
  pgc_psql target -c "DROP ROLE IF EXISTS $role" >/dev/null
  pgc_caller_role "$role"
done
started_before=$(postmaster_started)
agent_pid_before=$(pgc_agent_pid)

# ---------------------------------------------------------------- 1. forged requests
t_diag "1. a local OS user forges requests"
t_ok "$(runuser -u nobody -- cat "$TARGET_KEY" >/dev/null 2>&1 && echo 1 || echo 0)" \
  "another OS user cannot read the server's key file"
jobs_before=$(jobs_total)
forged=$(runuser -u nobody -- "$PY" - "$HARNESS" "$PGC_AGENT_ENDPOINT" "$AGENT_PUB" "$SRC_SOCKET user=postgres" <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import agent_peer as ap
endpoint, agent_pub, source = sys.argv[2], sys.argv[3].encode(), sys.argv[4]
forged_caller = [ "pgclone_test", "0" * 64 ]
for label, sock in (("plain", ap.dealer(endpoint)),
                    ("own-key", ap.dealer(endpoint, server_key=agent_pub))):
    sock.send_multipart([ap.TAG, ap.envelope(ap.STATUS, 1, ap.pack([0]))])
    sock.send_multipart([ap.TAG, ap.envelope(ap.CLONE, 2, ap.clone_request(source, "basic", "empty", forged_caller))])
    sock.send_multipart([ap.TAG, ap.envelope(ap.JOBS, 3, ap.pack([forged_caller, 0]))])
    print("%s %d" % (label, len(ap.recv_all(sock, 2000))))
    sock.close()
PYEOF
)
t_like "$forged" 'plain 0' "a peer without CURVE gets no answer at all (status, clone, job list)"
t_like "$forged" 'own-key 0' "a peer with a key of its own (not enrolled) gets no answer at all"
t_is "$(jobs_total)" "$jobs_before" "no job was created"
t_like "$(grep -c 'refused a connection' "$PGC_AGENT_LOG")" '^[1-9]' "the agent logged the refusals"

# Through the server's own (enrolled) key, as root could: the claimed caller
# is still checked on the agent's own connection, and nobody holds this proof.
claims=$("$PY" - "$HARNESS" "$PGC_AGENT_ENDPOINT" "$AGENT_PUB" "$TARGET_KEY" "$SRC_SOCKET user=postgres" <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import agent_peer as ap
endpoint, agent_pub, key, source = sys.argv[2], sys.argv[3].encode(), sys.argv[4], sys.argv[5]
s = ap.dealer(endpoint, server_key=agent_pub, client_keys=ap.read_key_file(key))
claimed = ["pgclone_test", "ab" * 32]
s.send_multipart([ap.TAG, ap.envelope(ap.CLONE, 7, ap.clone_request(source, "basic", "empty", claimed, wait=False))])
kind, payload = ap.wait_reply(s, 7)
print("clone", kind, payload[0].decode() if kind == ap.ERROR_REPLY else payload)
s.send_multipart([ap.TAG, ap.envelope(ap.JOBS, 8, ap.pack([claimed, 0]))])
kind, payload = ap.wait_reply(s, 8)
print("jobs", kind, payload[0].decode() if kind == ap.ERROR_REPLY else payload)
PYEOF
)
t_like "$claims" 'clone 30 28000' "a clone request whose caller nobody holds is refused with 28000"
t_like "$claims" 'jobs 30 28000' "so is a job listing"
t_is "$(jobs_total)" "$jobs_before" "still no job"

# ---------------------------------------------------------------- 2. identities
t_diag "2. who sees, cancels and resumes a job"
listener_port=$(pgc_free_port)
"$PY" - "$listener_port" <<'PYEOF' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(128)
held = []
end = time.time() + 120
s.settimeout(0.5)
while time.time() < end:
    try:
        held.append(s.accept()[0])   # accept, never answer
    except socket.timeout:
        pass
PYEOF
listener_pid=$!
for _ in $(seq 1 50); do pgc_port_in_use "$listener_port" && break; sleep 0.1; done
SILENT="host=127.0.0.1 port=$listener_port dbname=x user=pgc_reader password=Reader_Secret_Pw_4242 connect_timeout=0"
SILENT_LONG=${SILENT/connect_timeout=0/connect_timeout=60}

r=$(as $ALICE "SELECT pgclone.table_async('$SILENT', 'basic', 'empty', true, 'silent_a')")
alice_job=${r#OK }
t_like "$r" '^OK [0-9]+$' "alice starts a job (its source never answers)"
t_is "$(as $BOB "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = $alice_job")" "OK 0" "bob does not see alice's job"
t_is "$(sqlstate "$(as $BOB "SELECT pgclone.cancel($alice_job)")")" "42704" "bob cannot cancel it (42704: no such job for him)"
t_is "$(pgc_psql target -c "SELECT pgclone.progress($alice_job)::jsonb ->> 'owner'")" "$ALICE" \
  "a superuser sees it, owned by $ALICE"
pgc_psql target -d postgres -c "CREATE DATABASE trust_other" >/dev/null
pgc_psql target -d trust_other -c "CREATE EXTENSION pgclone" -c "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO $ALICE" \
  -c "ALTER DATABASE trust_other SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null
t_is "$(PGC_PSQL_USER=$ALICE pgc_try_target_db trust_other "SELECT count(*) FROM pgclone.jobs_view")" "OK 0" \
  "the same role name in another database is somebody else: it sees none of them"

# ---------------------------------------------------------------- 3. confused deputy
t_diag "3. a non-superuser's source must take its password, not the agent's identity"
r=$(as $ALICE "SELECT pgclone.table('$SRC_SOCKET user=postgres', 'basic', 'empty', true, 'x_socket')")
t_like "$r" '^ERROR (2F003|42501) ' "a Unix-socket source is refused" "$r"
r=$(as $ALICE "SELECT pgclone.table('$SRC_TCP user=postgres', 'basic', 'empty', true, 'x_nopw')")
t_like "$r" '^ERROR 2F003 .*password is required' "a source without a password is refused with 2F003" "$r"
r=$(as $ALICE "SELECT pgclone.table('$SRC_TCP user=postgres password=whatever', 'basic', 'empty', true, 'x_trust')")
t_like "$r" '^ERROR 2F003 ' "a password the source never asked for does not count (trust login refused)" "$r"
r=$(as $ALICE "SELECT pgclone.table('$SRC_TCP user=pgc_reader passfile=/root/.pgpass', 'basic', 'empty', true, 'x_pf')")
t_like "$r" '^ERROR 42501 .*passfile' "passfile= is refused" "$r"
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS trust_secret" -c "CREATE DATABASE trust_secret" \
  -c "REVOKE CONNECT ON DATABASE trust_secret FROM PUBLIC" -c "DROP ROLE IF EXISTS trust_weak" \
  -c "CREATE ROLE trust_weak LOGIN PASSWORD 'weak-pw'" >/dev/null
pgc_scram_login source trust_weak
pgc_psql source -d trust_secret -c "CREATE TABLE t (secret text)" -c "INSERT INTO t VALUES ('hidden')" >/dev/null
r=$(as $ALICE "SELECT pgclone.table('host=127.0.0.1 port=$PGC_SOURCE_PORT dbname=trust_secret user=trust_weak password=weak-pw', 'public', 't', true, 'x_secret')")
t_like "$r" '^ERROR (42501|08001) .*permission denied for database' "a database the source role may not connect to stays closed" "$r"
r=$(as $ALICE "SELECT pgclone.table('$PGC_SOURCE_CONNINFO_PW', 'basic', 'empty', true, 'alice_empty')")
t_like "$r" '^OK OK: cloned' "with a password of its own, alice clones" "$r"
t_is "$(pgc_psql target -c "SELECT tableowner FROM pg_tables WHERE tablename = 'alice_empty'")" "$ALICE" \
  "and the table belongs to alice"

# ---------------------------------------------------------------- 4. settings
t_diag "4. settings that locate the agent and hold keys are superuser-only"
# Once pgclone's library is in the session (the harness preloads it with
# session_preload_libraries, as the README advises) these are refused outright.
for sql in "SET pgclone.agent_endpoint = 'tcp://127.0.0.1:1'" "SET pgclone.key_file = '/tmp/evil.key'" \
           "SET pgclone.agent_public_key = '$AGENT_PUB'" "SHOW pgclone.key_file"; do
  t_is "$(sqlstate "$(as $ALICE "$sql")")" "42501" "an ordinary role: $sql -> 42501"
done
# A value set before the library is loaded (a placeholder) is discarded when it
# loads: the call still reaches the real agent.
r=$(PGC_PSQL_USER=$ALICE PGOPTIONS="-c pgclone.agent_endpoint=tcp://127.0.0.1:1" pgc_try_target "SHOW pgclone.agent_endpoint")
t_like "$r" '^OK tcp://' "an ordinary role can still read the endpoint (not a secret): $r"
t_unlike "$r" '127\.0\.0\.1:1$' "an endpoint an ordinary role passes at login is discarded when pgclone loads"

# ---------------------------------------------------------------- 5. hostile input
t_diag "5. input that used to crash the backend"
deep=$(printf '(%.0s' $(seq 1 30000))a$(printf ')%.0s' $(seq 1 30000))
r=$(as $ALICE "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO_PW', 'basic', true, '{\"tables\": [\"$deep\"]}')")
t_like "$r" '^ERROR 22023 ' "a pattern nested 30,000 deep is refused with 22023" "${r:0:300}"
r=$(as $ALICE "SELECT pgclone.table('$PGC_SOURCE_CONNINFO_PW', '$(printf 'n%.0s' $(seq 1 100000))', 't')")
t_like "$r" '^ERROR 42622 ' "a 100 kB schema name is refused with 42622" "${r:0:300}"
t_is "$(postmaster_started)" "$started_before" "the server never restarted (postmaster start time unchanged)"
t_is "$(grep -c 'terminated by signal' "$PGC_TARGET_LOG")" "0" "no backend crashed (nothing in the server log)"
t_is "$(pgc_agent_pid)" "$agent_pid_before" "nor did the agent"

# ---------------------------------------------------------------- 6. RESET ROLE escape
t_diag "6. code of the cloned objects cannot regain the agent login's rights"
pgc_psql source -c "DROP SCHEMA IF EXISTS trust_evil CASCADE" >/dev/null
pgc_psql source >/dev/null <<'SQL'
CREATE SCHEMA trust_evil;
CREATE FUNCTION trust_evil.escalate(v int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  BEGIN EXECUTE 'RESET ROLE'; EXCEPTION WHEN OTHERS THEN NULL; END;
  BEGIN EXECUTE 'SET SESSION AUTHORIZATION DEFAULT'; EXCEPTION WHEN OTHERS THEN NULL; END;
  BEGIN EXECUTE 'ALTER ROLE trust_alice SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
  RETURN true;
END $$;
CREATE TABLE trust_evil.t (v int CHECK (trust_evil.escalate(v)));
INSERT INTO trust_evil.t VALUES (1), (2), (3);
SQL
r=$(as $ALICE "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO_PW', 'trust_evil')")
t_like "$r" '^OK OK: cloned schema trust_evil' "alice clones a schema whose CHECK tries RESET ROLE and ALTER ROLE" "$r"
t_is "$(pgc_psql target -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$ALICE'")" "f" "alice is still not a superuser"
r=$(pgc_try_target "SELECT pgclone.assume_role('$ALICE'::regrole); RESET ROLE")
t_like "$r" '^ERROR 42501 ' "after pgclone.assume_role(), RESET ROLE is refused" "$r"
r=$(pgc_try_target "SELECT pgclone.assume_role('$ALICE'::regrole); SET SESSION AUTHORIZATION postgres")
t_like "$r" '^ERROR 42501 ' "and so is SET SESSION AUTHORIZATION" "$r"
t_like "$(pgc_try_target "SELECT pgclone.assume_role('$ALICE'::regrole); SELECT current_user")" "^$ALICE\$" \
  "the session acts as $ALICE"
r=$(as $BOB "SELECT pgclone.assume_role('$ALICE'::regrole)")
t_like "$r" '^ERROR 42501 ' "a role cannot assume a role it could not SET ROLE to" "$r"

r=$(as $ALICE "SELECT pgclone.database_create('$PGC_SOURCE_CONNINFO_PW', 'trust_newdb', false)")
t_like "$r" '^ERROR 42501 ' "database_create() by a role without CREATEDB: 42501" "$r"
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'trust_newdb'")" "0" \
  "and no database was created"

# ---------------------------------------------------------------- 7. starvation and floods
t_diag "7. one role's stuck or flooding jobs starve nobody"
for i in 2 3 4; do as $ALICE "SELECT pgclone.table_async('$SILENT', 'basic', 'empty', true, 'silent_$i')" >/dev/null; done
start=$(pgc_now)
r=$(as $BOB "SELECT pgclone.table('$PGC_SOURCE_CONNINFO_PW', 'basic', 'empty', true, 'bob_meanwhile')")
t_like "$r" '^OK OK: cloned' "with four of alice's jobs stuck on a silent source, bob's clone runs" "$r"
t_ok "$(pgc_lt "$(pgc_elapsed "$start")" 8 && echo 0 || echo 1)" "at once (not after the stuck jobs time out)"
refused=""
for i in $(seq 5 24); do
  r=$(as $ALICE "SELECT pgclone.table_async('$SILENT_LONG', 'basic', 'empty', true, 'flood_$i')")
  case $r in "ERROR 53400 "*) refused=$r; break ;; esac
done
t_like "$refused" '^ERROR 53400 .*trust_alice' "past its quota, alice's next job is refused with 53400" "$refused"
alice_active() { as $ALICE "SELECT count(*) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')"; }
t_is "$(alice_active)" "OK 16" "alice has exactly the quota's 16 jobs pending or running"
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$(pgc_agent_pid)/status")
t_ok "$([ "${rss_kb:-999999}" -lt 204800 ] && echo 0 || echo 1)" "the agent's memory stays bounded (${rss_kb} kB < 200 MB)"
start=$(pgc_now)
as $ALICE "SELECT count(pgclone.cancel(job_id)) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')" >/dev/null
for _ in $(seq 1 40); do
  [ "$(alice_active)" = "OK 0" ] && break
  sleep 0.05
done
t_is "$(alice_active)" "OK 0" "cancel stops every one of them, connecting ones included"
t_ok "$(pgc_lt "$(pgc_elapsed "$start")" 2 && echo 0 || echo 1)" "within a second or so ($(pgc_elapsed "$start") s)"

kill "$listener_pid" 2>/dev/null
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS trust_other" >/dev/null
pgc_psql target -c "DROP SCHEMA IF EXISTS trust_evil CASCADE" -c "DROP TABLE IF EXISTS basic.alice_empty, basic.bob_meanwhile" \
  -c "REVOKE ALL ON SCHEMA basic FROM $ALICE, $BOB" >/dev/null
t_done
