#!/usr/bin/env bash
# SIGKILL the agent while a synchronous clone is loading: the call fails with
# 08006 naming the job (noticed within agent_timeout), no half-loaded table is
# left, and a restarted agent serves again.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
pgc_bg_start killed \
  "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_killed', '{\"where\": \"pg_sleep(0.001) IS NOT NULL\"}')" \
  "SET pgclone.agent_timeout = '3s'"
pgc_wait_for_load big_killed 15
t_ok $? "the agent is loading slow.big_killed"
t0=$(pgc_now)
pgc_agent_signal KILL
rc=$(pgc_agent_wait_exit 5)
t_is "$rc" 137 "the agent died of SIGKILL"
pgc_bg_wait killed 10
t_ok $? "the waiting call returned"
took=$(awk -v a="$t0" -v b="$(pgc_bg_end killed)" 'BEGIN { printf "%.3f", b - a }')
err=$(pgc_bg_error killed)
t_like "$err" '^ERROR 08006 ' "the call failed with 08006"
t_like "$err" '[Jj]ob[^0-9|]{0,10}[0-9]+' "the message names the job"
pgc_lt "$took" 5.0; t_ok $? "noticed within agent_timeout (3s) + 2s (took ${took}s)"
t_is "$(pgc_wait_clean slow.big_killed 5)" 0 "no slow.big_killed on the target"
t_is "$(pgc_target_open_xacts)" 0 "no transaction of the dead agent is left open"
pgc_wait_source_idle '%pg_sleep%' 10
t_ok $? "the source query of the dead agent ended"

pgc_agent_start >/dev/null
t_ok $? "the agent restarts"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "agent_status() answers again"
t_like "$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_after_kill', '{\"where\": \"id <= 5\"}')")" \
  '^OK OK:.*\b5 rows\b' "and clones again"

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
t_done
