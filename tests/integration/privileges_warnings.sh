#!/usr/bin/env bash
# "privileges": "skip_missing_roles" raises one WARNING per grant it skips
# (object, role, privileges) in the calling session, which pgTAP cannot see
# (tests/sql/18_privileges.sql checks the rest). Source: priv_ghost
# (tests/fixtures/63_privileges.sql) grants SELECT, INSERT on a table and
# EXECUTE on a function to priv_src_only, a role only the source cluster has.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

DB=pgclone_privwarn
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
pgc_create_target_db "$DB" >/dev/null
t_ok $? "fresh target database $DB with pgclone"

clone() {   # clone OPTIONS -> the session's output, messages included
  pgc_psql target -d "$DB" -c "SET client_min_messages = notice" \
    -c "SELECT pgclone.schema($(pgc_ql "$PGC_SOURCE_CONNINFO"), 'priv_ghost', true, $(pgc_ql "$1"))" 2>&1
}

out=$(clone '{"privileges": "skip_missing_roles"}')
t_like "$out" 'OK: cloned schema priv_ghost' "skip_missing_roles: the clone succeeds"
warnings=$(grep '^WARNING:' <<<"$out" | sort)
t_is "$warnings" 'WARNING:  skipped grant of EXECUTE on FUNCTION priv_ghost.locked() to role "priv_src_only": the role does not exist on the target
WARNING:  skipped grant of INSERT, SELECT on TABLE priv_ghost.g to role "priv_src_only": the role does not exist on the target
WARNING:  skipped grant of SELECT on default privileges on TABLES FOR ROLE priv_src_only IN SCHEMA priv_ghost: the role "priv_src_only" they are for does not exist on the target
WARNING:  skipped grant of SELECT on default privileges on TABLES IN SCHEMA priv_ghost to role "priv_src_only": the role does not exist on the target' \
  "one WARNING per skipped grant, naming the object, the privileges and the role"

pgc_psql target -d "$DB" -c "DROP SCHEMA priv_ghost CASCADE" >/dev/null 2>&1
out=$(clone '{"privileges": false}')
t_like "$out" 'OK: cloned schema priv_ghost.*\(privileges not cloned\)' "privileges false: the result says so"
t_unlike "$out" 'WARNING' "privileges false: no warning (no grant is attempted)"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
t_done
