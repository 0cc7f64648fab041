#!/usr/bin/env bash
# A schema clone in flight (slowsch, tests/fixtures/61_schema_small.sql: three
# tables whose rows load slowly on the target), seen from outside:
#   * "parallel": 3 really loads three tables at once;
#   * one source session (the keeper) holds ACCESS SHARE on every table in
#     scope, as pg_dump does: DDL on them waits; tables outside the scope are
#     not locked;
#   * pg_cancel_backend() ends the call with 57014 within a second, the target
#     is as before after a short wait (no schema slowsch), the source queries
#     stop and the keeper's locks are released;
#   * the agent still clones afterwards;
#   * a source that ends idle transactions quickly does not kill the keeper.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

pgc_psql target -c "DROP SCHEMA IF EXISTS slowsch CASCADE" >/dev/null 2>&1

IN_SCOPE="'slowsch.t'::regclass, 'slowsch.t2'::regclass, 'slowsch.t3'::regclass, 'slowsch.other'::regclass"
keeper_locks() {   # sessions holding ACCESS SHARE on all four tables
  pgc_psql source -c "SELECT count(*) FROM (SELECT l.pid FROM pg_locks l
      WHERE l.locktype = 'relation' AND l.mode = 'AccessShareLock' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.relation IN ($IN_SCOPE)
      GROUP BY l.pid HAVING count(DISTINCT l.relation) = 4) s"
}
target_copies() {
  pgc_psql target -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND state = 'active' AND query ILIKE 'COPY%slowsch%FROM STDIN%'"
}

pgc_bg_start keeper "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO', 'slowsch', true, '{\"parallel\": 3}')"
max=0
t0=$(pgc_now)
while pgc_lt "$(pgc_elapsed "$t0")" 15; do
  n=$(target_copies 2>/dev/null)
  [ "${n:-0}" -gt "$max" ] && max=$n
  [ "$max" -ge 3 ] && break
  sleep 0.1
done
t_is "$max" 3 "parallel=3: three tables are being loaded at the same time"

t_is "$(keeper_locks)" 1 "one source session holds ACCESS SHARE on every table in scope"
t_is "$(pgc_psql source -c "SELECT count(*) FROM pg_locks l WHERE l.locktype = 'relation'
          AND l.relation IN ('clash.items'::regclass, 'shop.orders'::regclass, 'slow.big'::regclass)
          AND l.pid IN (SELECT k.pid FROM pg_locks k WHERE k.relation = 'slowsch.other'::regclass AND k.pid <> pg_backend_pid())")" 0 \
  "the job's sessions lock no table outside the scope"
out=$(pgc_psql source -v VERBOSITY=verbose -c "SET lock_timeout = '300ms'" -c "ALTER TABLE slowsch.other ADD COLUMN x integer" 2>&1 |
      pgc_parse_psql_error)
t_like "$out" '^ERROR 55P03 ' "DDL on a table in scope waits for the keeper (lock_timeout: 55P03)"
t_is "$(pgc_psql source -c "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'slowsch' AND table_name = 'other' AND column_name = 'x'")" 0 \
  "and did not happen"

t_like "$(pgc_bg_backend_pid keeper)" '^[0-9]+$' "found the waiting backend"
pgc_bg_cancel_within_second keeper
t_is "$(pgc_wait_clean slowsch.other 5)" 0 "no slowsch table left on the target"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'slowsch%'")" 0 \
  "no schema slowsch (or a staging copy of it) left on the target"
t_is "$(pgc_target_open_xacts)" 0 "no agent transaction left open on the target"
pgc_wait_source_idle '%slowsch%' 5
t_ok $? "the source queries stopped within 5 s"
released=1
for _ in $(seq 1 50); do [ "$(keeper_locks)" = 0 ] && { released=0; break; }; sleep 0.1; done
t_ok $released "the keeper's locks were released"
pgc_agent_running
t_ok $? "the agent survived the cancel of a parallel load" "$(tail -n 5 "$PGC_AGENT_LOG")"
if ! pgc_agent_running; then
  t_diag "restarting the agent for the rest of this script"
  pgc_agent_start >/dev/null 2>&1
  pgc_psql target -c "DROP SCHEMA IF EXISTS slowsch CASCADE" >/dev/null 2>&1
fi

out=$(pgc_try_target "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO', 'slowsch', true, '{\"tables\": [\"other\"]}')")
t_like "$out" '^OK OK: cloned schema slowsch: 1 tables? \(100 rows\)' "the agent clones again afterwards: $out"
pgc_psql target -c "DROP SCHEMA IF EXISTS slowsch CASCADE" >/dev/null 2>&1

# ---------------------------------------------------------------- the keeper survives idle timeouts
# The keeper sits idle in its transaction while the workers copy; a source
# that ends idle transactions after 300 ms must not break a longer clone.
trap 'pgc_psql source -c "ALTER DATABASE $PGC_SOURCE_DB RESET idle_in_transaction_session_timeout" >/dev/null 2>&1; pgc_cleanup' EXIT
pgc_psql source -c "ALTER DATABASE $PGC_SOURCE_DB SET idle_in_transaction_session_timeout = '300ms'" >/dev/null
pgc_psql target -c "DROP SCHEMA IF EXISTS shop CASCADE" >/dev/null 2>&1
t0=$(pgc_now)
out=$(pgc_try_target "SELECT pgclone.schema('$PGC_SOURCE_CONNINFO', 'shop', true, '{\"parallel\": 2}')")
took=$(pgc_elapsed "$t0")
pgc_psql source -c "ALTER DATABASE $PGC_SOURCE_DB RESET idle_in_transaction_session_timeout" >/dev/null
t_like "$out" '^OK OK: cloned schema shop: 19 tables \(342520 rows\)' \
  "source with idle_in_transaction_session_timeout = 300ms: a ${took}s clone of shop still completes: $out"
pgc_lt 1.0 "$took"; t_ok $? "(the clone really ran longer than the timeout: ${took}s)"
pgc_psql target -c "DROP SCHEMA IF EXISTS shop CASCADE" -c "DROP EXTENSION IF EXISTS citext CASCADE" >/dev/null 2>&1
t_done
