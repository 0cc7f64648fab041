#!/usr/bin/env bash
# Passwords in a conninfo never appear in errors, in the agent's log (at debug
# level) or in the source server's log, whether the call fails or succeeds.
# (The target server logs the failing *statement* itself — PostgreSQL's own
# log_min_error_statement — so its STATEMENT lines are not pgclone's to judge.)
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

PW=Pw_Log_Leak_9731
src=$PGC_SOURCE_CONNINFO
dead="host=127.0.0.1 port=$PGC_DEAD_PORT dbname=x user=postgres connect_timeout=5"
calls=(
  "SELECT pgclone.table('$src password=$PW', 'basic', 'items', true, 'pw_ok')"
  "SELECT pgclone.table('$src password=$PW bogus_keyword=1', 'basic', 'items', true, 'pw_1')"
  "SELECT pgclone.table('$dead password=$PW', 'basic', 'items', true, 'pw_2')"
  "SELECT pgclone.table('$src password=$PW', 'basic', 'no_such_table', true, 'pw_3')"
  "SELECT pgclone.table('$src password=$PW', 'basic', 'items', true, 'pw_4', '{\"where\": \"no_such_col = 1\"}')"
  "SELECT pgclone.table('postgresql://postgres:$PW@127.0.0.1:$PGC_DEAD_PORT/x', 'basic', 'items', true, 'pw_5')"
  "SELECT pgclone.table('$src password=$PW', 'basic', 'items', true, 'pw_ok', '{\"conflict\": \"error\"}')"
)
i=0
for c in "${calls[@]}"; do
  i=$((i + 1))
  out=$(pgc_try_target "$c")
  t_unlike "$out" "$PW" "call $i: the password is not in the result or error (${out:0:90})"
done
t_like "$(pgc_try_target "SELECT count(*) FROM basic.pw_ok")" '^OK 1000$' "the password-bearing conninfo worked for the successful call"
sleep 0.5
t_is "$(grep -c "$PW" "$PGC_AGENT_LOG")" 0 "the agent log ($PGCLONE_AGENT_LOG_LEVEL level) never shows the password"
t_like "$(grep -c . "$PGC_AGENT_LOG")" '^[1-9]' "the agent log is not empty (it did log the calls)"
t_is "$(grep -c "$PW" "$PGC_SOURCE_LOG")" 0 "the source server log never shows the password"
t_is "$(grep -v 'STATEMENT:' "$PGC_TARGET_LOG" | grep -c "$PW")" 0 \
  "the target server log shows it only in PostgreSQL's own STATEMENT lines"
t_unlike "$(pgc_try_target 'SELECT pgclone.agent_status()')" "$PW" "agent_status() does not show it"
pgc_psql target -c "DROP TABLE IF EXISTS basic.pw_ok" >/dev/null 2>&1
t_done
