#!/usr/bin/env bash
# The source side of a clone:
#   * while a clone reads a table, the table is protected by a lock (an ALTER
#     TABLE on the source cannot slip in between catalog read and data);
#   * the agent's source connection is killed mid-load: the call fails, nothing
#     is left on the target, the agent keeps serving;
#   * the source server crashes mid-load: same, and once it is back clones work;
#   * a table of the schema is dropped on the source while a schema clone
#     starts (after the clone listed it, before it could lock it): the call fails
#     with 42P01 naming it, nothing is left on the target, and a retry works.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SLOW='{"where": "pg_sleep(0.001) IS NOT NULL"}'
clone_sql() { echo "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, '$1', '$SLOW')"; }
pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1

# ------------------------------------------------------------ lock on the source table
pgc_bg_start locked "$(clone_sql big_locked)"
pgc_wait_for_load big_locked 15
t_ok $? "the agent is loading slow.big_locked"
out=$(PGAPPNAME=pgclone_tests pgc_psql source -v VERBOSITY=verbose -c "SET lock_timeout = '500ms'" \
        -c "ALTER TABLE slow.big ADD COLUMN sneaky integer" 2>&1 | pgc_parse_psql_error)
t_like "$out" '^ERROR 55P03 ' "ALTER TABLE on the source waits for the clone's lock (55P03 lock timeout)"
pid=$(pgc_bg_backend_pid locked)
pgc_psql target -c "SELECT pg_cancel_backend($pid)" >/dev/null
pgc_bg_wait locked 10
t_is "$(pgc_wait_clean slow.big_locked 5)" 0 "cancelled: no slow.big_locked"

# ------------------------------------------------------------ source connection killed
pgc_bg_start srckill "$(clone_sql big_srckill)"
pgc_wait_for_load big_srckill 15
t_ok $? "the agent is loading slow.big_srckill"
n=$(pgc_psql source -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE pid <> pg_backend_pid() AND query ILIKE '%pg_sleep%' AND query ILIKE 'COPY%'")
t_like "$n" '^[1-9]' "terminated the agent's COPY on the source ($n backend)"
pgc_bg_wait srckill 10
t_ok $? "the call returned within 10 s"
err=$(pgc_bg_error srckill)
t_like "$err" '^ERROR [0-9A-Z]{5} ' "the call failed ($err)"
t_is "$(pgc_wait_clean slow.big_srckill 5)" 0 "no slow.big_srckill on the target"
t_like "$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_after_srckill', '{\"where\": \"id <= 7\"}')")" \
  '^OK OK:.*\b7 rows\b' "the agent clones again"

# ------------------------------------------------------------ source server crash
pgc_bg_start crash "$(clone_sql big_crash)"
pgc_wait_for_load big_crash 15
t_ok $? "the agent is loading slow.big_crash"
pgc_cluster_stop source immediate
t_ok $? "source server stopped (immediate mode) in the middle of the load"
pgc_bg_wait crash 15
t_ok $? "the call returned within 15 s"
err=$(pgc_bg_error crash)
t_like "$err" '^ERROR [0-9A-Z]{5} ' "the call failed ($err)"
t_is "$(pgc_wait_clean slow.big_crash 5)" 0 "no slow.big_crash on the target"
pgc_cluster_start source
t_like "$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_after_crash', '{\"where\": \"id <= 3\"}')")" \
  '^OK OK:.*\b3 rows\b' "with the source back, clones work again"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "agent_status() answers"

# ---------------------------------------------------------------- dropped while starting
pgc_psql source -c "DROP SCHEMA IF EXISTS vanish CASCADE" -c "CREATE SCHEMA vanish" \
  -c "CREATE TABLE vanish.stays (i integer PRIMARY KEY)" -c "INSERT INTO vanish.stays SELECT generate_series(1, 100)" \
  -c "CREATE TABLE vanish.goes (i integer)" -c "INSERT INTO vanish.goes SELECT generate_series(1, 100)" >/dev/null 2>&1
pgc_psql target -c "DROP SCHEMA IF EXISTS vanish CASCADE" >/dev/null 2>&1
# A source session holds vanish.goes locked, so the clone waits on it after
# listing the schema's tables; then that session drops it and commits.
fifo="$PGC_TMPDIR/vanish.fifo"
rm -f "$fifo"; mkfifo "$fifo"
( PGAPPNAME=pgclone_tests_dropper pgc_psql source <"$fifo" >/dev/null 2>&1 ) &
exec 7>"$fifo"
echo "BEGIN; LOCK TABLE vanish.goes IN ACCESS EXCLUSIVE MODE;" >&7
pgc_bg_start vanish "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO', 'vanish', true)"
waiting=1
for _ in $(seq 1 100); do
  [ "$(pgc_psql source -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
        AND application_name NOT LIKE 'pgclone_tests%'")" = 1 ] && { waiting=0; break; }
  sleep 0.1
done
t_ok $waiting "the schema clone waits for the lock on vanish.goes"
echo "DROP TABLE vanish.goes; COMMIT;" >&7
exec 7>&-
pgc_bg_wait vanish 10
err=$(pgc_bg_error vanish)
t_like "$err" '^ERROR 42P01 source relation "vanish.goes" was dropped while the clone was starting' \
  "the call fails with 42P01 naming the dropped table: $err"
t_like "$err" 'HINT: Run the clone again' "... and says to run it again"
t_is "$(pgc_wait_clean vanish.stays 5)" 0 "nothing of schema vanish on the target"
t_like "$(pgc_try_target "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO', 'vanish', true)")" \
  '^OK OK: cloned schema vanish: 1 table \(100 rows\)' "run again, the clone succeeds"
pgc_psql target -c "DROP SCHEMA IF EXISTS vanish CASCADE" >/dev/null 2>&1
pgc_psql source -c "DROP SCHEMA IF EXISTS vanish CASCADE" >/dev/null 2>&1

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
t_done
