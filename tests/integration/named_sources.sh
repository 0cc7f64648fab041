#!/usr/bin/env bash
# Named sources (issue 18): the foreign-data wrapper pgclone, its servers and
# user mappings. The validator rejects unknown and misplaced options (HV00D); a
# server name works wherever a conninfo does, with the calling role's own user
# mapping (or PUBLIC's): two roles reach the same server with two source logins
# and get what each login may read; no USAGE on the server is 42501, no user
# mapping and an unknown (or non-pgclone) server are 42704. Job views show the
# server's name as the source. The mapping's password never shows in the
# target server's log (log_statement = all, failing calls included), in
# pg_stat_activity while a clone runs, in the agent's log or in its state
# directory; the job store keeps only the server's name, and resume() re-reads
# the resuming role's mapping: a password changed after the job was cancelled
# (on the source and in the mapping) is the one the resumed job uses.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SERVER=ns_src
ALICE=ns_alice
BOB=ns_bob
CAROL=ns_carol
SRC_A=named_a
SRC_B=named_b
PW_A=Named_Marker_A_7781
PW_B=Named_Marker_B_3392
PW_A2=Named_Marker_A2_5512
MARK=Named_Marker_          # common prefix of the three passwords
STATE="$PGC_TMPDIR/agent/state"
ACT_T="$PGC_TMPDIR/named_sources.target_activity"
ACT_S="$PGC_TMPDIR/named_sources.source_activity"

q() { pgc_psql target -c "$1"; }
qs() { pgc_psql source -c "$1"; }
as() { pgc_try_as "$@"; }
# quiet SIDE SQL...: statements that carry a password, in a superuser session
# that neither logs them (log_statement) nor quotes them when they fail.
quiet() {
  local side=$1 s args=()
  shift
  for s in "$@"; do args+=(-c "$s"); done
  pgc_psql "$side" -c "SET log_statement = 'none'" -c "SET log_min_error_statement = 'panic'" "${args[@]}"
}
# src_login USER PASSWORD SQL: psql to the source over TCP with a password.
src_login() {
  PGPASSWORD=$2 PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=5 "$PGC_PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PGC_SOURCE_PORT" -U "$1" -d "$PGC_SOURCE_DB" -c "$3" 2>&1
}
# poll SECONDS CMD...: until CMD succeeds (then 0) or SECONDS passed (1).
poll() {
  local deadline=$((SECONDS + $1))
  shift
  while [ $SECONDS -lt "$deadline" ]; do
    "$@" && return 0
    sleep 0.1
  done
  "$@"
}
job_copying() {  # job_copying ROLE JOB: the job runs and is copying data
  [ "$(as "$1" "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = $2 AND status = 'running' AND current_phase = 'copying data'")" = "OK 1" ]
}
sample_activity() {  # one look at both servers' pg_stat_activity
  {
    echo "--- $(pgc_now)"
    q "SELECT coalesce(application_name, '') || ' | ' || coalesce(query, '') FROM pg_stat_activity"
  } >>"$ACT_T" 2>&1
  {
    echo "--- $(pgc_now)"
    qs "SELECT coalesce(application_name, '') || ' | ' || coalesce(query, '') FROM pg_stat_activity"
  } >>"$ACT_S" 2>&1
}
# leak_check WHAT FILE...: no password marker in the files.
leak_check() {
  local what=$1 hits
  shift
  hits=$(grep -rnaF -- "$MARK" "$@" 2>/dev/null | cut -c1-200)
  [ -z "$hits" ]
  t_ok $? "no password of the mappings in $what" "$hits"
}

target_basic_created=0
ns_bg_started=0
ns_done=0
ns_cleanup() {
  local r
  # only this run's background call, and only while it still runs
  if [ "$ns_bg_started" = 1 ] && [ ! -e "$PGC_TMPDIR/bg/ns_slow.rc" ]; then pgc_bg_kill ns_slow; fi
  for r in $ALICE $BOB $CAROL; do
    as "$r" "SELECT count(pgclone.cancel(job_id)) FROM pgclone.jobs_view WHERE status IN ('pending', 'running')" >/dev/null 2>&1
  done
  pgc_wait_clean slow.ns_resumed 10 >/dev/null 2>&1
  for r in $ALICE $BOB $CAROL; do as "$r" "SELECT pgclone.clear_jobs()" >/dev/null 2>&1; done
  q "ALTER SYSTEM RESET log_statement" >/dev/null 2>&1
  q "ALTER SYSTEM RESET log_min_error_statement" >/dev/null 2>&1
  q "SELECT pg_reload_conf()" >/dev/null 2>&1
  q "DROP TABLE IF EXISTS basic.ns_alice_empty, basic.ns_bob_empty, basic.ns_carol_empty, basic.ns_alice_items, basic.ns_missing" >/dev/null 2>&1
  q "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
  q "DROP SERVER IF EXISTS $SERVER CASCADE" >/dev/null 2>&1
  q "DROP SERVER IF EXISTS ns_other CASCADE" >/dev/null 2>&1
  q "DROP FOREIGN DATA WRAPPER IF EXISTS ns_dummy_fdw CASCADE" >/dev/null 2>&1
  for r in $ALICE $BOB $CAROL $SRC_A; do
    q "DROP OWNED BY $r" >/dev/null 2>&1
    q "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
  done
  [ "$target_basic_created" = 1 ] && q "DROP SCHEMA IF EXISTS basic" >/dev/null 2>&1
  for r in $SRC_A $SRC_B; do
    qs "DROP OWNED BY $r" >/dev/null 2>&1
    qs "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
  done
  pgc_scram_logout source $SRC_A $SRC_B
  rm -f "$ACT_T" "$ACT_S"
  return 0
}
# shellcheck disable=SC2154
trap 'ns_rc=$?; [ "$ns_done" = 1 ] || ns_cleanup >/dev/null 2>&1; (exit $ns_rc); pgc_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

ns_cleanup   # leftovers of an interrupted run

# ---------------------------------------------------------------- 1. setup
t_diag "1. two source logins (scram-sha-256), server $SERVER, a mapping per role"
quiet source "CREATE ROLE $SRC_A LOGIN PASSWORD '$PW_A'" "CREATE ROLE $SRC_B LOGIN PASSWORD '$PW_B'" >/dev/null 2>&1
t_ok $? "source: roles $SRC_A and $SRC_B with passwords"
qs "GRANT USAGE ON SCHEMA basic, slow TO $SRC_A" >/dev/null &&
  qs "GRANT SELECT ON ALL TABLES IN SCHEMA basic, slow TO $SRC_A" >/dev/null
t_ok $? "source: $SRC_A may read basic.* and slow.*; $SRC_B gets no grant"
# Clones bring the source's grants, so the role they name must exist on the
# target too (clone_roles() is not built yet).
q "CREATE ROLE $SRC_A NOLOGIN" >/dev/null
t_ok $? "target: role $SRC_A exists (without login) for the grants clones bring"
pgc_scram_login source $SRC_B $SRC_A
scram_active() {
  [ "$(src_login $SRC_A "$PW_A" "SELECT count(*) FROM basic.empty")" = 0 ] &&
    ! src_login $SRC_A Not_The_Password "SELECT 1" >/dev/null
}
poll 10 scram_active
t_ok $? "the source asks $SRC_A for its password over 127.0.0.1 (right one in, wrong one out)"
r=$(src_login $SRC_B "$PW_B" "SELECT count(*) FROM basic.empty")
t_like "$r" 'permission denied for (schema basic|table empty)' "$SRC_B logs in but may not read basic.empty" "$r"

if [ "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'basic'")" = 0 ]; then target_basic_created=1; fi
q "CREATE SCHEMA slow" >/dev/null
for role in $ALICE $BOB $CAROL; do pgc_caller_role "$role"; done
q "GRANT USAGE, CREATE ON SCHEMA slow TO $ALICE" >/dev/null

t_is "$(q "SELECT count(*) FROM pg_foreign_data_wrapper WHERE fdwname = 'pgclone' AND fdwvalidator <> 0")" 1 \
  "the extension created the foreign-data wrapper pgclone, with a validator"
r=$(pgc_try_target "CREATE SERVER $SERVER FOREIGN DATA WRAPPER pgclone OPTIONS (host '127.0.0.1', port '$PGC_SOURCE_PORT', dbname '$PGC_SOURCE_DB')")
t_like "$r" '^OK' "CREATE SERVER $SERVER ... OPTIONS (host, port, dbname) is accepted" "$r"
q "GRANT USAGE ON FOREIGN SERVER $SERVER TO $ALICE, $BOB" >/dev/null
quiet target "CREATE USER MAPPING FOR $ALICE SERVER $SERVER OPTIONS (user '$SRC_A', password '$PW_A')" >/dev/null 2>&1
t_ok $? "CREATE USER MAPPING FOR $ALICE (user $SRC_A, password) is accepted"
quiet target "CREATE USER MAPPING FOR $BOB SERVER $SERVER OPTIONS (user '$SRC_B', password '$PW_B')" >/dev/null 2>&1
t_ok $? "CREATE USER MAPPING FOR $BOB (user $SRC_B, password) is accepted"

# ---------------------------------------------------------------- 2. validator
t_diag "2. the validator rejects unknown and misplaced options with HV00D"
v() { pgc_try_target "BEGIN; $1; ROLLBACK"; }   # rolled back should it be accepted
r=$(v "CREATE SERVER ns_bad FOREIGN DATA WRAPPER pgclone OPTIONS (host '127.0.0.1', password 'Validator_Pw_0001')")
t_like "$r" '^ERROR HV00D [^|]*"password"' "password as a SERVER option: HV00D naming it" "$r"
r=$(v "ALTER SERVER $SERVER OPTIONS (ADD password 'Validator_Pw_0002')")
t_like "$r" '^ERROR HV00D [^|]*"password"' "password added to a SERVER by ALTER SERVER: HV00D naming it" "$r"
r=$(v "CREATE SERVER ns_bad FOREIGN DATA WRAPPER pgclone OPTIONS (host '127.0.0.1', user '$SRC_A')")
t_like "$r" '^ERROR HV00D [^|]*"user"' "user as a SERVER option: HV00D naming it" "$r"
r=$(v "CREATE SERVER ns_bad FOREIGN DATA WRAPPER pgclone OPTIONS (host '127.0.0.1', nonsense 'x')")
t_like "$r" '^ERROR HV00D [^|]*"nonsense"' "nonsense as a SERVER option: HV00D naming it" "$r"
r=$(v "CREATE USER MAPPING FOR PUBLIC SERVER $SERVER OPTIONS (user '$SRC_A', password 'Validator_Pw_0003', host '127.0.0.1')")
t_like "$r" '^ERROR HV00D [^|]*"host"' "host in a USER MAPPING: HV00D naming it" "$r"
r=$(v "CREATE USER MAPPING FOR PUBLIC SERVER $SERVER OPTIONS (nonsense 'x')")
t_like "$r" '^ERROR HV00D [^|]*"nonsense"' "nonsense in a USER MAPPING: HV00D naming it" "$r"
r=$(v "ALTER USER MAPPING FOR $ALICE SERVER $SERVER OPTIONS (ADD host '127.0.0.1')")
t_like "$r" '^ERROR HV00D [^|]*"host"' "host added to a USER MAPPING by ALTER USER MAPPING: HV00D naming it" "$r"

# ---------------------------------------------------------------- 3. own credentials
t_diag "3. each role reaches $SERVER with its own mapping"
r=$(as $ALICE "SELECT pgclone.table('$SERVER', 'basic', 'empty', true, 'ns_alice_empty')")
t_like "$r" '^OK OK: cloned' "$ALICE clones basic.empty through server $SERVER" "$r"
t_unlike "$r" "$MARK" "its result shows no password"
t_is "$(q "SELECT tableowner FROM pg_tables WHERE schemaname = 'basic' AND tablename = 'ns_alice_empty'")" "$ALICE" \
  "basic.ns_alice_empty exists and belongs to $ALICE"
r=$(as $BOB "SELECT pgclone.table('$SERVER', 'basic', 'empty', true, 'ns_bob_empty')")
t_like "$r" '^ERROR 42501 [^|]*permission denied for (schema basic|table empty)' \
  "$BOB's same call fails with the source's permission error (it logged in as $SRC_B)" "$r"
t_unlike "$r" "$MARK" "its error shows no password"
t_is "$(q "SELECT (to_regclass('basic.ns_bob_empty') IS NOT NULL)::int")" 0 "no basic.ns_bob_empty"

# ---------------------------------------------------------------- 4. privileges and names
t_diag "4. USAGE, missing mappings, unknown servers"
q "GRANT USAGE ON FOREIGN SERVER $SERVER TO $CAROL" >/dev/null
r=$(as $CAROL "SELECT pgclone.table('$SERVER', 'basic', 'empty', true, 'ns_carol_empty')")
t_like "$r" "^ERROR 42704 [^|]*user mapping[^|]*$CAROL" "USAGE but no mapping (and no PUBLIC one): 42704 user mapping not found for $CAROL" "$r"
quiet target "CREATE USER MAPPING FOR PUBLIC SERVER $SERVER OPTIONS (user '$SRC_A', password '$PW_A')" >/dev/null 2>&1
r=$(as $CAROL "SELECT pgclone.table('$SERVER', 'basic', 'empty', true, 'ns_carol_empty')")
t_like "$r" '^OK OK: cloned' "with a PUBLIC mapping, $CAROL (no mapping of her own) clones through it" "$r"
q "DROP USER MAPPING FOR PUBLIC SERVER $SERVER" >/dev/null
quiet target "CREATE USER MAPPING FOR $CAROL SERVER $SERVER OPTIONS (user '$SRC_A', password '$PW_A')" >/dev/null 2>&1
q "REVOKE USAGE ON FOREIGN SERVER $SERVER FROM $CAROL" >/dev/null
r=$(as $CAROL "SELECT pgclone.table('$SERVER', 'basic', 'empty', true, 'ns_carol_empty2')")
t_like "$r" "^ERROR 42501 [^|]*$SERVER" "a mapping but no USAGE on the server: 42501 naming it" "$r"
r=$(as $CAROL "SELECT pgclone.table_async('$SERVER', 'basic', 'empty', true, 'ns_carol_empty2')")
t_like "$r" "^ERROR 42501 [^|]*$SERVER" "table_async(): the same 42501, before any job is submitted" "$r"
r=$(as $ALICE "SELECT pgclone.table('ns_nosuch', 'basic', 'empty', true, 'ns_x')")
t_like "$r" '^ERROR 42704 [^|]*ns_nosuch' "an unknown server name: 42704 naming it" "$r"
r=$(as $ALICE "SELECT pgclone.table_async('ns_nosuch', 'basic', 'empty', true, 'ns_x')")
t_like "$r" '^ERROR 42704 [^|]*ns_nosuch' "table_async() with an unknown server name: 42704 naming it" "$r"
q "CREATE FOREIGN DATA WRAPPER ns_dummy_fdw" >/dev/null
q "CREATE SERVER ns_other FOREIGN DATA WRAPPER ns_dummy_fdw OPTIONS (host '127.0.0.1', port '$PGC_SOURCE_PORT', dbname '$PGC_SOURCE_DB')" >/dev/null
q "GRANT USAGE ON FOREIGN SERVER ns_other TO $ALICE" >/dev/null
quiet target "CREATE USER MAPPING FOR $ALICE SERVER ns_other OPTIONS (user '$SRC_A', password 'Other_Fdw_Pw_0004')" >/dev/null 2>&1
r=$(as $ALICE "SELECT pgclone.table('ns_other', 'basic', 'empty', true, 'ns_x')")
t_like "$r" '^ERROR (42704|42809) [^|]*ns_other' \
  "a server of another foreign-data wrapper is no pgclone server: 42704 (or 42809) naming it" "$r"
t_is "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'basic' AND c.relname IN ('ns_carol_empty2', 'ns_x')")" 0 "none of the refused calls created a table"

# ---------------------------------------------------------------- 5. job views
t_diag "5. job views show the server's name as the source"
alice_job=$(as $ALICE "SELECT max(job_id) FROM pgclone.jobs_view WHERE table_name = 'empty' AND status = 'completed'")
alice_job=${alice_job#OK }
t_like "$alice_job" '^[0-9]+$' "$ALICE sees her completed job ($alice_job)"
alice_job=${alice_job:-0}
t_is "$(as $ALICE "SELECT pgclone.progress($alice_job)::jsonb ->> 'source'")" "OK $SERVER" \
  "progress(): \"source\" is exactly '$SERVER'"
t_is "$(as $ALICE "SELECT e ->> 'source' FROM jsonb_array_elements(pgclone.jobs()::jsonb) e WHERE (e ->> 'job_id')::int = $alice_job")" \
  "OK $SERVER" "jobs(): \"source\" is exactly '$SERVER'"
t_is "$(q "SELECT pgclone.progress($alice_job)::jsonb ->> 'source'")" "$SERVER" "a superuser sees the same source"
if [ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'pgclone' AND table_name = 'jobs_view' AND column_name = 'source'")" = 1 ]; then
  t_is "$(as $ALICE "SELECT source FROM pgclone.jobs_view WHERE job_id = $alice_job")" "OK $SERVER" \
    "jobs_view.source is exactly '$SERVER'"
else
  t_diag "pgclone.jobs_view has no column source: only progress() and jobs() checked"
fi
bob_job=$(as $BOB "SELECT max(job_id) FROM pgclone.jobs_view WHERE table_name = 'empty' AND status = 'failed'")
bob_job=${bob_job#OK }
t_like "$bob_job" '^[0-9]+$' "$BOB sees his failed job ($bob_job)"
bob_job=${bob_job:-0}
r=$(as $BOB "SELECT pgclone.progress($bob_job)")
t_like "$r" "\"source\": ?\"$SERVER\"" "the failed job's source is '$SERVER' too" "$r"
t_unlike "$r" "$MARK" "and its progress (error included) shows no password"

# ---------------------------------------------------------------- 6. secrets
t_diag "6. log_statement = all, a failing, a successful and a running named clone"
q "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
q "ALTER SYSTEM SET log_min_error_statement = 'error'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
logs_all() { [ "$(q "SHOW log_statement")" = all ] && [ "$(q "SHOW log_min_error_statement")" = error ]; }
poll 10 logs_all
t_ok $? "the target logs every statement (log_statement = all, log_min_error_statement = error)"

r=$(as $ALICE "SELECT pgclone.table('$SERVER', 'basic', 'ns_no_such_table', true, 'ns_missing')")
t_like "$r" '^ERROR 42P01 ' "a named call for a table the source does not have fails with 42P01" "$r"
t_unlike "$r" "$MARK" "its error shows no password"
r=$(as $ALICE "SELECT pgclone.table('$SERVER', 'basic', 'items', true, 'ns_alice_items')")
t_like "$r" '^OK OK: cloned' "a named call that succeeds (basic.items)" "$r"
t_unlike "$r" "$MARK" "its result shows no password"
t_is "$(q "SELECT count(*) FROM basic.ns_alice_items")" "$(qs "SELECT count(*) FROM basic.items")" \
  "basic.ns_alice_items has the source's row count"

: >"$ACT_T"
: >"$ACT_S"
ns_bg_started=1
PGC_PSQL_USER=$ALICE pgc_bg_start ns_slow \
  "SELECT pgclone.table('$SERVER', 'slow', 'big', true, 'ns_bg_big', pgtest.slow_opts(3000))"
bg_job=""
bg_job_copying() {
  local r
  r=$(as $ALICE "SELECT job_id FROM pgclone.jobs_view WHERE table_name = 'big' AND status = 'running' AND current_phase = 'copying data' ORDER BY job_id DESC LIMIT 1")
  [[ $r =~ ^OK\ [0-9]+$ ]] && bg_job=${r#OK }
}
poll 15 bg_job_copying
t_ok $? "the synchronous named clone of slow.big runs (job ${bg_job:-?}, copying data)"
n_samples=0
for _ in $(seq 1 8); do
  [ -e "$PGC_TMPDIR/bg/ns_slow.rc" ] && break
  sample_activity
  n_samples=$((n_samples + 1))
  sleep 0.2
done
if [ -n "$bg_job" ]; then
  t_is "$(as $ALICE "SELECT pgclone.progress($bg_job)::jsonb ->> 'source'")" "OK $SERVER" \
    "while it runs, progress() shows source '$SERVER'"
fi
pgc_bg_wait ns_slow 60
t_ok $? "the synchronous named clone returned"
t_is "$(pgc_bg_rc ns_slow)" 0 "and succeeded" "$(pgc_bg_output ns_slow | head -c 300)"
t_like "$(pgc_bg_output ns_slow)" 'cloned' "its result says cloned"
t_unlike "$(pgc_bg_output ns_slow)" "$MARK" "its output shows no password"
t_ok "$([ "$n_samples" -ge 2 ] && echo 0 || echo 1)" "pg_stat_activity was sampled $n_samples times while it ran"
t_like "$(grep -cF "pgclone.table('$SERVER', 'slow', 'big'" "$ACT_T")" '^[1-9]' \
  "the target samples caught the running call"
t_like "$(grep -c 'pg_sleep' "$ACT_S")" '^[1-9]' "the source samples caught the agent's query"

# ---------------------------------------------------------------- 7. resume, changed password
t_diag "7. resume() re-reads the mapping: a password changed after the cancel is used"
r=$(as $ALICE "SELECT pgclone.table_async('$SERVER', 'slow', 'big', true, 'ns_resumed', pgtest.slow_opts(4000))")
t_like "$r" '^OK [0-9]+$' "$ALICE starts table_async() through $SERVER" "$r"
X=${r#OK }
[[ $X =~ ^[0-9]+$ ]] || X=0
poll 15 job_copying $ALICE "$X"
t_ok $? "job $X is copying data"
sample_activity
r=$(as $ALICE "SELECT pgclone.cancel($X)")
t_like "$r" "^OK .*cancel" "$ALICE cancels job $X" "$r"
t_is "$(as $ALICE "SELECT pgclone.wait($X, '15 s')")" "OK cancelled" "job $X ends cancelled"
t_is "$(pgc_wait_clean slow.ns_resumed 10)" 0 "no half-loaded slow.ns_resumed is left"
t_is "$(as $ALICE "SELECT pgclone.progress($X)::jsonb ->> 'source'")" "OK $SERVER" "the cancelled job's source is '$SERVER'"
hits=$(grep -rlaE -- "$SRC_A|$SRC_B" "$STATE" 2>/dev/null)
t_is "$hits" "" "the job store holds no connection string of the named jobs (no source user $SRC_A/$SRC_B in $STATE)"
t_like "$(grep -rlaF -- "$SERVER" "$STATE" 2>/dev/null | head -n 1)" . "it holds the server's name ($SERVER)"

quiet source "ALTER ROLE $SRC_A PASSWORD '$PW_A2'" >/dev/null 2>&1
t_ok $? "source: $SRC_A gets a new password"
! src_login $SRC_A "$PW_A" "SELECT 1" >/dev/null
t_ok $? "the old password no longer logs in"
quiet target "ALTER USER MAPPING FOR $ALICE SERVER $SERVER OPTIONS (SET password '$PW_A2')" >/dev/null 2>&1
t_ok $? "ALTER USER MAPPING FOR $ALICE ... OPTIONS (SET password ...) is accepted"
r=$(as $ALICE "SELECT pgclone.resume($X)")
t_like "$r" '^OK [0-9]+$' "$ALICE resumes job $X" "$r"
N=${r#OK }
[[ $N =~ ^[0-9]+$ ]] || N=0
t_ok "$([ "$N" -gt "$X" ] && echo 0 || echo 1)" "resume() returns a new, higher job id ($N > $X)"
if poll 15 job_copying $ALICE "$N"; then
  sample_activity
  sleep 0.3
  sample_activity
fi
w=$(as $ALICE "SELECT pgclone.wait($N, '120 s')")
t_is "$w" "OK completed" "the resumed job $N completes (it logged in with the new password)" \
  "$(as $ALICE "SELECT pgclone.progress($N)")"
t_is "$(q "SELECT count(*) FROM slow.ns_resumed")" "$(qs "SELECT count(*) FROM slow.big WHERE id <= 4000")" \
  "slow.ns_resumed has the source's row count"
sum="SELECT md5(string_agg(id || ':' || payload, ',' ORDER BY id)) FROM slow.%s WHERE id <= 4000"
# shellcheck disable=SC2059
t_is "$(q "$(printf "$sum" ns_resumed)")" "$(qs "$(printf "$sum" big)")" "and the source's rows (checksum)"
p=$(as $ALICE "SELECT (j ->> 'source') || ' ' || (j ->> 'resumed_from') FROM (SELECT pgclone.progress($N)::jsonb AS j) s")
t_is "$p" "OK $SERVER $X" "the resumed job's source is '$SERVER', resumed_from $X"

# ---------------------------------------------------------------- 8. nowhere a password
t_diag "8. the passwords (${MARK}*) appear nowhere"
sleep 0.5
t_like "$(grep -cF "pgclone.table('$SERVER', 'basic', 'ns_no_such_table'" "$PGC_TARGET_LOG")" '^[1-9]' \
  "the target log did record the named calls (the failing one included)"
leak_check "the target server log" "$PGC_TARGET_LOG"
leak_check "the source server log" "$PGC_SOURCE_LOG"
leak_check "the target's pg_stat_activity samples" "$ACT_T"
leak_check "the source's pg_stat_activity samples" "$ACT_S"
leak_check "the agent's log ($PGCLONE_AGENT_LOG_LEVEL level)" "$PGC_AGENT_LOG"
t_ok "$([ -e "$STATE/jobs.db" ] && echo 0 || echo 1)" "the agent's job store exists ($STATE/jobs.db)"
leak_check "the agent's state directory (jobs.db, its -wal, every file)" "$STATE"
hits=$(grep -rlaE -- "$SRC_A|$SRC_B" "$STATE" 2>/dev/null)
t_is "$hits" "" "nor any source user of the mappings (the store keeps the server's name only)"

ns_cleanup
ns_done=1
t_done
