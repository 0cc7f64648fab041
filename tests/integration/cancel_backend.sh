#!/usr/bin/env bash
# pg_cancel_backend() / pg_terminate_backend() from a second session while a
# synchronous clone is loading data: the call ends with 57014 within a second,
# the agent cancels the job (source query stopped, target transaction rolled
# back) and no table is left behind; a terminated backend exits promptly.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SLOW='{"where": "pg_sleep(0.001) IS NOT NULL"}'
clone_sql() { echo "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, '$1', '$SLOW')"; }
pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" 2>/dev/null

# ------------------------------------------------------------ pg_cancel_backend
pgc_bg_start cancel "$(clone_sql big_cancel)"
pgc_wait_for_load big_cancel 15
t_ok $? "the agent is loading slow.big_cancel (COPY running on the target)"
t_like "$(pgc_bg_backend_pid cancel)" '^[0-9]+$' "found the waiting backend"
pgc_bg_cancel_within_second cancel
t_is "$(pgc_wait_clean slow.big_cancel 5)" 0 "no slow.big_cancel on the target"
t_is "$(pgc_target_open_xacts)" 0 "the agent's target transaction is gone within 5 s"
pgc_wait_source_idle '%pg_sleep%' 5
t_ok $? "the source query was stopped within 5 s"
out=$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_after_cancel', '{\"where\": \"id <= 10\"}')")
t_like "$out" '^OK OK:.*\b10 rows\b' "the agent still clones afterwards"

# ------------------------------------------------------------ cancel right after submit
pgc_bg_start early "$(clone_sql big_early)"
for _ in $(seq 1 100); do pid=$(pgc_bg_backend_pid early); [ -n "$pid" ] && break; sleep 0.01; done
pgc_psql target -c "SELECT pg_cancel_backend($pid)" >/dev/null
pgc_bg_wait early 5
t_like "$(pgc_bg_error early)" '^ERROR 57014 ' "cancel right after the call started: 57014"
t_is "$(pgc_wait_clean slow.big_early 5)" 0 "no slow.big_early on the target"

# ------------------------------------------------------------ pg_terminate_backend
pgc_bg_start term "$(clone_sql big_term)"
pgc_wait_for_load big_term 15
t_ok $? "the agent is loading slow.big_term"
pid=$(pgc_bg_backend_pid term)
t0=$(pgc_now)
pgc_psql target -c "SELECT pg_terminate_backend($pid)" >/dev/null
pgc_bg_wait term 10
t_ok $? "the terminated call returned"
gone=1
while pgc_lt "$(pgc_elapsed "$t0")" 3; do
  [ "$(pgc_psql target -c "SELECT count(*) FROM pg_stat_activity WHERE pid = $pid")" = 0 ] && { gone=0; break; }
  sleep 0.05
done
t_ok $gone "the terminated backend process exited within 3 s (no hang in ZeroMQ teardown)"
t_is "$(pgc_wait_clean slow.big_term 5)" 0 "no slow.big_term on the target"
pgc_wait_source_idle '%pg_sleep%' 5
t_ok $? "the source query was stopped within 5 s"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "agent_status() still answers"

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
t_done
