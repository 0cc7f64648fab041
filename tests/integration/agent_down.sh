#!/usr/bin/env bash
# The agent stops: calls fail with 08001 within pgclone.agent_timeout, naming
# the endpoint, with a HINT on how to start it. The agent comes back: the same
# long-lived session (and new ones) work again.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

pgc_psql target -c "DROP SCHEMA IF EXISTS basic CASCADE" >/dev/null 2>&1
src=$PGC_SOURCE_CONNINFO
# One session for the whole story; \! runs the harness between statements.
out=$(pgc_psql target -F '|' <<EOF 2>&1
SET pgclone.agent_timeout = '3s';
SELECT 'before', sqlstate FROM pgtest.run('SELECT pgclone.agent_status()');
\! bash -c 'source "\$PGC_LIB"; pgc_attach_or_setup; echo "stop rc \$(pgc_agent_stop)" >&2'
SELECT 'status', sqlstate, round(elapsed_s::numeric, 3), message, hint FROM pgtest.run('SELECT pgclone.agent_status()');
SELECT 'clone', sqlstate, round(elapsed_s::numeric, 3), message, hint
  FROM pgtest.run(\$\$SELECT pgclone.table('$src', 'basic', 'items', true, 'items_down')\$\$);
SELECT 'discover', sqlstate FROM pgtest.run(\$\$SELECT pgclone.discover_sensitive('$src', 'basic')\$\$);
CREATE TABLE public.down_masked AS SELECT i AS id, 'secret' || i AS v FROM generate_series(1, 10) AS i;
SELECT 'mask_in_place', sqlstate, coalesce(result, message) FROM pgtest.run(\$\$SELECT pgclone.mask_in_place('public', 'down_masked', '{"v": "name"}')\$\$);
SELECT 'masked_rows', count(*) FILTER (WHERE v = 'XXXX') FROM public.down_masked;
DROP TABLE public.down_masked;
SET pgclone.agent_timeout = '1s';
SELECT 'status1s', sqlstate, round(elapsed_s::numeric, 3) FROM pgtest.run('SELECT pgclone.agent_status()');
SET pgclone.agent_timeout = '3s';
\! bash -c 'source "\$PGC_LIB"; pgc_attach_or_setup; pgc_agent_start >/dev/null 2>&1; echo "start rc \$?" >&2'
SELECT 'after', sqlstate, coalesce(result, message) FROM pgtest.run('SELECT pgclone.agent_status()');
SELECT 'clone_after', sqlstate, coalesce(result, message)
  FROM pgtest.run(\$\$SELECT pgclone.table('$src', 'basic', 'items', true, 'items_up')\$\$);
EOF
)
echo "$out" | sed 's/^/# /'
field() { echo "$out" | awk -F'|' -v t="$1" -v n="$2" '$1 == t { print $n; exit }'; }

t_is "$(field before 2)" 00000 "agent_status() works before the agent stops"
t_like "$out" 'stop rc 0' "the agent stopped (exit status 0)"
t_is "$(field status 2)" 08001 "agent down: agent_status() raises 08001"
pgc_lt "$(field status 3)" 4.5; t_ok $? "within agent_timeout 3s + 1.5s (took $(field status 3)s)"
t_like "$(field status 4)" "could not reach pgclone agent at \"$PGC_AGENT_ENDPOINT\"" "the message names the endpoint"
t_like "$(field status 5)" 'pgclone-agent --listen' "the HINT says how to start the agent"
t_is "$(field clone 2)" 08001 "agent down: table() raises 08001"
pgc_lt "$(field clone 3)" 4.5; t_ok $? "table() gives up within agent_timeout + 1.5s (took $(field clone 3)s)"
t_like "$(field clone 5)" 'pgclone-agent --listen' "table()'s error has the HINT too"
t_is "$(field discover 2)" 08001 "agent down: discover_sensitive() raises 08001"
t_is "$(field mask_in_place 3)" 'OK: masked 10 rows in public.down_masked (1 columns)' "agent down: mask_in_place() still masks (it runs in the session; only its job listing needs the agent)"
t_like "$out" 'WARNING:  pgclone.mask_in_place of public.down_masked is not listed in pgclone.jobs_view' "... with a WARNING that the call is not listed in the jobs views"
t_is "$(field masked_rows 2)" 10 "... and every row is masked"
t_is "$(field status1s 2)" 08001 "with agent_timeout = 1s: 08001"
pgc_lt "$(field status1s 3)" 2.5; t_ok $? "within 1s + 1.5s (took $(field status1s 3)s)"
t_like "$out" 'start rc 0' "the agent restarted"
t_is "$(field after 2)" 00000 "the same session reaches the restarted agent"
t_like "$(field clone_after 3)" '^OK:.*1000 rows' "and clones again"
t_like "$(pgc_try_target 'SELECT pgclone.agent_status()')" '^OK \{' "a new session reaches it too"
t_is "$(pgc_psql target -c "SELECT to_regclass('basic.items_down') IS NULL")" t "nothing was created while the agent was down"

pgc_psql target -c "DROP SCHEMA IF EXISTS basic CASCADE" >/dev/null 2>&1
t_done
