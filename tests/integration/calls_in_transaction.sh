#!/usr/bin/env bash
# Calls inside a transaction (issue 16). The clone runs on the agent's own
# connections, beside the caller's transaction: a lock that transaction holds
# must fail the call with 40P01 within a couple of seconds (it used to hang for
# ever), a lock of a third session shows in the job's phase and is bounded by
# lock_timeout (55P03), and a schema the transaction created but has not
# committed is refused at once. The target is left as it was every time.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=$PGC_SOURCE_CONNINFO
q() { pgc_psql target -c "$1"; }
field() { awk -F'|' -v n="$2" '{print $n}' <<<"$1"; }
t1_rows() { q "SELECT count(*) FROM txn.t1"; }
# deadlock_case SQL ERE WHAT: SQL (a call inside a transaction) fails with an
# error matching ERE within about a second; the error is left in $r.
deadlock_case() {
  local start took
  start=$(pgc_now)
  r=$(pgc_try_target "$1")
  took=$(pgc_elapsed "$start")
  t_like "$r" "$2" "$3" "$r"
  t_ok "$(pgc_lt "$took" 2.5 && echo 0 || echo 1)" "within about a second ($took s, not a hang)"
}

pgc_psql source >/dev/null <<'SQL'
DROP SCHEMA IF EXISTS txn CASCADE;
DROP SCHEMA IF EXISTS txn_ref CASCADE;
CREATE SCHEMA txn;
CREATE TABLE txn.t1 (id integer PRIMARY KEY, v text);
INSERT INTO txn.t1 SELECT g, 'source ' || g FROM generate_series(1, 100) g;
CREATE SCHEMA txn_ref;
CREATE TABLE txn_ref.parent (id integer PRIMARY KEY, v text);
INSERT INTO txn_ref.parent VALUES (1, 'one'), (2, 'two');
CREATE TABLE txn_ref.child (id integer PRIMARY KEY, parent_id integer REFERENCES txn_ref.parent);
INSERT INTO txn_ref.child VALUES (10, 1), (20, 2);
SQL
# The target's own older copy: 5 rows, so "as it was" can be told apart.
pgc_psql target -c "DROP SCHEMA IF EXISTS txn CASCADE" -c "DROP SCHEMA IF EXISTS txn_ref CASCADE" \
  -c "DROP SCHEMA IF EXISTS txn_new CASCADE" >/dev/null 2>&1
pgc_psql target -c "CREATE SCHEMA txn" -c "CREATE TABLE txn.t1 (id integer PRIMARY KEY, v text)" \
  -c "INSERT INTO txn.t1 SELECT g, 'target ' || g FROM generate_series(1, 5) g" >/dev/null
t_is "$(pgc_try_target "SELECT pgclone.table('$SRC', 'txn_ref', 'parent')")" \
  "OK OK: cloned txn_ref.parent, 2 rows, 1 index, 1 constraint, 0 triggers" "setup: txn_ref.parent on the target"

# ---------------------------------------------------------------- the caller's own locks
deadlock_case "BEGIN; SELECT count(*) FROM txn.t1; SELECT pgclone.table('$SRC', 'txn', 't1', true, NULL, '{\"conflict\": \"replace\"}')" \
  '^ERROR 40P01 .*calling transaction holds: relation txn\.t1 ' "table() replacing a table the transaction read: 40P01 naming it"
t_like "$(field "$r" 2)" 'DETAIL: .*held by the calling transaction' "its DETAIL says the calling transaction holds the lock"
t_like "$(field "$r" 3)" 'HINT: Commit the transaction .*_async' "its HINT says what to do"
pgc_wait_clean txn.t1 10
t_is "$(t1_rows)" 5 "the target's txn.t1 is as it was"

deadlock_case "BEGIN; SELECT count(*) FROM txn.t1; SELECT pgclone.schema('$SRC', 'txn', true, '{\"conflict\": \"replace\", \"parallel\": 2}')" \
  '^ERROR 40P01 .*relation txn(_[a-z0-9_]+)?\.t1 ' "schema() replace over a table the transaction read: 40P01"
pgc_wait_clean txn.t1 10
t_is "$(t1_rows)" 5 "the old schema is back as it was"
t_is "$(q "SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'txn%' AND nspname <> 'txn_ref'")" "txn" \
  "and nothing was left beside it"

deadlock_case "BEGIN; UPDATE txn_ref.parent SET v = v WHERE id = 1; SELECT pgclone.table('$SRC', 'txn_ref', 'child')" \
  '^ERROR 40P01 .*txn_ref\.parent' "a row the transaction updated blocks the clone's foreign key: 40P01 naming the referenced table"
pgc_wait_clean txn_ref.child 10
t_is "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'txn_ref' AND tablename = 'child'")" 0 "no txn_ref.child was left"

r=$(pgc_try_target "BEGIN; SELECT count(*) FROM txn.t1; SELECT pgclone.table_async('$SRC', 'txn', 't1', true, 't1_beside'); COMMIT")
t_like "$r" '^OK ' "a call that needs no lock of the transaction still works inside it" "$r"

# ---------------------------------------------------------------- a third session's lock
pgc_bg_start holder "BEGIN; LOCK TABLE txn.t1 IN ACCESS SHARE MODE; SELECT pg_sleep(8); COMMIT"
for _ in $(seq 1 50); do
  holder=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgclone_tests_bg_holder' AND state = 'active'")
  [ -n "$holder" ] && break
  sleep 0.1
done
job=$(q "SELECT pgclone.table_async('$SRC', 'txn', 't1', true, NULL, '{\"conflict\": \"replace\", \"lock_timeout\": \"3s\"}')")
phase=""
for _ in $(seq 1 40); do
  phase=$(q "SELECT current_phase FROM pgclone.jobs_view WHERE job_id = $job")
  [[ $phase == waiting* ]] && break
  sleep 0.1
done
t_like "$phase" "^waiting for lock on relation txn\.t1 \(AccessExclusiveLock\) \(held by pid $holder\)$" \
  "a third session's lock shows in jobs_view: $phase"
t_is "$(q "SELECT pgclone.wait($job, '10s')")" failed "the job fails once its lock_timeout (3 s) has passed"
t_like "$(q "SELECT error_message FROM pgclone.jobs_view WHERE job_id = $job")" \
  '^could not obtain lock on relation txn\.t1 .*within lock_timeout \(3000 ms\)' "its error names the object and the timeout"
t_is "$(q "SELECT pgclone.progress($job)::jsonb ->> 'error_sqlstate'")" "55P03" "SQLSTATE 55P03" 
pgc_wait_clean txn.t1 10
t_is "$(t1_rows)" 5 "the target's txn.t1 is as it was"

pgc_bg_start holder2 "BEGIN; LOCK TABLE txn.t1 IN ACCESS SHARE MODE; SELECT pg_sleep(6); COMMIT"
sleep 0.5
start=$(pgc_now)
r=$(pgc_try_target "SET lock_timeout = '1500ms'; SELECT pgclone.table('$SRC', 'txn', 't1', true, NULL, '{\"conflict\": \"replace\"}')")
took=$(pgc_elapsed "$start")
t_like "$r" '^ERROR 55P03 .*txn\.t1.*1500 ms' "without the option, the caller's own lock_timeout applies" "$r"
t_ok "$(pgc_lt "$took" 3.5 && echo 0 || echo 1)" "after about 1.5 s ($took s)"

# ---------------------------------------------------------------- uncommitted schema
r=$(pgc_try_target "BEGIN; CREATE SCHEMA txn_new; SELECT pgclone.schema('$SRC', 'txn_new')")
t_like "$r" '^ERROR 55000 schema "txn_new" was created in the current transaction' \
  "a schema the transaction created but has not committed is refused at once" "$r"
t_like "$(field "$r" 3)" 'HINT: Commit' "with a hint to commit first"

for b in holder holder2; do pgc_bg_wait "$b" 15 >/dev/null 2>&1 || true; done
pgc_psql target -c "DROP SCHEMA IF EXISTS txn CASCADE" -c "DROP SCHEMA IF EXISTS txn_ref CASCADE" >/dev/null 2>&1
pgc_psql source -c "DROP SCHEMA IF EXISTS txn CASCADE" -c "DROP SCHEMA IF EXISTS txn_ref CASCADE" >/dev/null 2>&1
t_done
