#!/usr/bin/env bash
# SIGTERM (and SIGINT) stop the agent gracefully: an in-flight clone is
# cancelled, its target transaction rolls back (no half table), the waiting
# call gets an error, and the agent exits with status 0.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
pgc_bg_start sigterm \
  "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_sigterm', '{\"where\": \"pg_sleep(0.001) IS NOT NULL\"}')" \
  "SET pgclone.agent_timeout = '5s'"
pgc_wait_for_load big_sigterm 15
t_ok $? "the agent is loading slow.big_sigterm"
t0=$(pgc_now)
pgc_agent_signal TERM
rc=$(pgc_agent_wait_exit 10)
t_ok $? "the agent exited within 10 s of SIGTERM (took $(pgc_elapsed "$t0")s)"
t_is "$rc" 0 "exit status 0"
pgc_bg_wait sigterm 10
t_ok $? "the waiting call returned"
t_is "$(pgc_bg_rc sigterm)" 1 "the call failed (psql exit status 1)"
err=$(pgc_bg_error sigterm)
t_like "$err" '^ERROR (08|57)[0-9A-Z]{3} ' "with a connection-class or cancel SQLSTATE"
t_diag "call error: $err"
t_is "$(pgc_wait_clean slow.big_sigterm 5)" 0 "no slow.big_sigterm on the target"
pgc_wait_source_idle '%pg_sleep%' 5
t_ok $? "the source query was stopped"
t_like "$(grep -c . "$PGC_AGENT_LOG")" '^[1-9]' "the agent logged to stderr"
t_like "$(tail -n 20 "$PGC_AGENT_LOG")" '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z? +(INFO|DEBUG|WARN|ERROR)' \
  "log lines carry a timestamp and a level"

# SIGINT on an idle agent
pgc_agent_start >/dev/null
t_ok $? "the agent restarts"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "agent_status() answers"
pgc_agent_signal INT
rc=$(pgc_agent_wait_exit 10)
t_is "$rc" 0 "SIGINT: the idle agent exits with status 0"

pgc_agent_start >/dev/null
t_ok $? "the agent restarts again"
t_like "$(pgc_try_target "SELECT pgclone.table('$PGC_SOURCE_CONNINFO', 'slow', 'big', true, 'big_after_term', '{\"where\": \"id <= 5\"}')")" \
  '^OK OK:.*\b5 rows\b' "and clones"

pgc_psql target -c "DROP SCHEMA IF EXISTS slow CASCADE" >/dev/null 2>&1
t_done
