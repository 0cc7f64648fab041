#!/usr/bin/env bash
# The source side of a clone:
#   * while a clone reads a table, the table is protected by a lock (an ALTER
#     TABLE on the source cannot slip in between catalog read and data);
#   * the agent's source connection is killed mid-load: the call fails, nothing
#     is left on the target, the agent keeps serving;
#   * the source server crashes mid-load: same, and once it is back clones work.
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

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
t_done
