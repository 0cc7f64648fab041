#!/usr/bin/env bash
# pgclone.clone_roles(): roles of the source cluster on the target cluster,
# compared with pg_dumpall --roles-only; atomic refusal (42501) for a caller
# who is not a superuser; updates not duplicates on a second run; password
# hashes copied for a superuser and never shown; error paths (42704, 22023).
# Every role here is named cr_*; the script drops them on both clusters at
# the end, so the other tests see the clusters as they were.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

ROLES="cr_admin cr_app cr_group \"cr Mixed\" cr_super cr_reader cr_caller"
drop_roles() {   # drop_roles CLUSTER
  local r
  for r in cr_app cr_admin '"cr Mixed"' cr_super cr_group cr_reader cr_caller cr_ghost; do
    pgc_psql "$1" -d postgres -c "DROP OWNED BY $r CASCADE" >/dev/null 2>&1
    [ "$1" = target ] && pgc_psql target -c "DROP OWNED BY $r CASCADE" >/dev/null 2>&1
    pgc_psql "$1" -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
  done
  return 0
}
drop_roles source
drop_roles target
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS cr_source_only" -c "DROP DATABASE IF EXISTS cr_owned" >/dev/null 2>&1
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS cr_owned WITH (FORCE)" >/dev/null 2>&1

PW=App_Secret_Pw_7781
pgc_psql source -d postgres >/dev/null <<SQL
CREATE DATABASE cr_source_only;
CREATE ROLE cr_group NOLOGIN;
CREATE ROLE cr_admin CREATEDB CREATEROLE NOLOGIN CONNECTION LIMIT 5 VALID UNTIL '2031-01-01 00:00:00+00';
CREATE ROLE cr_app LOGIN NOINHERIT CONNECTION LIMIT 10 PASSWORD '$PW';
CREATE ROLE "cr Mixed" LOGIN;
CREATE ROLE cr_super SUPERUSER NOLOGIN;
CREATE ROLE cr_reader LOGIN BYPASSRLS;
GRANT cr_group TO cr_app WITH ADMIN OPTION;
GRANT cr_group TO "cr Mixed";
GRANT pg_read_all_data TO cr_reader;
ALTER ROLE cr_app SET search_path TO "\$user", public, "Odd Schema";
ALTER ROLE cr_app SET work_mem TO '64MB';
ALTER ROLE cr_app IN DATABASE postgres SET statement_timeout = '5s';
ALTER ROLE cr_app IN DATABASE cr_source_only SET statement_timeout = '7s';
COMMENT ON ROLE cr_admin IS 'the admins'' role';
SQL
t_ok $? "source roles with attributes, memberships, settings and a comment"
HASH=$(pgc_psql source -d postgres -c "SELECT rolpassword FROM pg_authid WHERE rolname = 'cr_app'")
t_like "$HASH" '^SCRAM-SHA-256\$' "cr_app has a SCRAM hash on the source"

SRC=$PGC_SOURCE_CONNINFO
# The roles' part of pg_dumpall --roles-only: the lines naming a cloned role,
# without GRANTED BY (the grantor is whoever ran the clone).
roles_dump() {   # roles_dump CLUSTER
  local up sock port
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  "$PGC_PG_BINDIR/pg_dumpall" -h "$sock" -p "$port" -U postgres --roles-only 2>&1 |
    grep -E '(^| )(cr_(admin|app|group|reader|super)|"cr Mixed")( |;|$)' | sed -E 's/ GRANTED BY [^;]*;/;/'
}
exists_on_target() { pgc_psql target -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname IN ('cr_admin', 'cr_app', 'cr_group', 'cr Mixed', 'cr_super', 'cr_reader')"; }

# ---- error paths
out=$(pgc_try_target "SELECT pgclone.clone_roles($(pgc_ql "$SRC"), 'cr_app, cr_nobody')")
t_like "$out" '^ERROR 42704 role "cr_nobody" does not exist on the source' "a named role missing on the source: 42704 up front"
out=$(pgc_try_target "SELECT pgclone.clone_roles($(pgc_ql "$SRC"), 'cr_app,,cr_group')")
t_like "$out" '^ERROR 22023 role_names has an empty name' "an empty name in role_names: 22023"
out=$(pgc_try_target "SELECT pgclone.clone_roles($(pgc_ql "$SRC"), 'cr_app')")
t_like "$out" '^ERROR 42704 role "cr_group" does not exist on the target' \
  "a membership in a role neither cloned nor on the target: 42704 up front"
t_is "$(exists_on_target)" 0 "nothing was created by the failed calls"

# ---- a caller that is not a superuser
pgc_psql target -d postgres -c "CREATE ROLE cr_caller LOGIN CREATEROLE" >/dev/null
pgc_psql target -c "GRANT USAGE ON SCHEMA pgclone TO cr_caller" \
  -c "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO cr_caller" >/dev/null
out=$(PGC_PSQL_USER=cr_caller pgc_try_target \
  "SELECT pgclone.clone_roles($(pgc_ql "$PGC_SOURCE_CONNINFO_PW"), 'cr_group,cr_app,cr Mixed,cr_super')")
t_like "$out" '^ERROR 42501 permission denied to clone role "cr_super"\|DETAIL: Role "cr_super" has the SUPERUSER attribute on the source' \
  "non-superuser caller, a SUPERUSER role: 42501 naming the role and the attribute"
out=$(PGC_PSQL_USER=cr_caller pgc_try_target \
  "SELECT pgclone.clone_roles($(pgc_ql "$PGC_SOURCE_CONNINFO_PW"), 'cr_group,cr_reader')")
t_like "$out" '^ERROR 42501 permission denied to clone role "cr_reader"\|DETAIL: Role "cr_reader" has the BYPASSRLS attribute' \
  "non-superuser caller, a BYPASSRLS role: 42501"
t_is "$(exists_on_target)" 0 "nothing was changed by the refused calls (atomic, checked up front)"
out=$(PGC_PSQL_USER=cr_caller pgc_try_target \
  "SELECT pgclone.clone_roles($(pgc_ql "$PGC_SOURCE_CONNINFO_PW"), 'cr_group,cr_app,cr Mixed')")
t_is "$out" 'OK OK: 3 roles created, 0 roles updated, 2 grants applied' "non-superuser caller with CREATEROLE clones ordinary roles"
t_is "$(pgc_psql target -d postgres -c "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'cr_app'")" t \
  "no password hash for a caller that is not a superuser"
drop_roles target

# ---- a superuser clones them all
out=$(pgc_try_target "SELECT pgclone.clone_roles($(pgc_ql "$SRC"), 'cr_admin,cr_app,cr_group,cr Mixed,cr_super,cr_reader')")
t_is "$out" 'OK OK: 6 roles created, 0 roles updated, 3 grants applied' "superuser: every named role created, memberships granted"
t_is "$(pgc_psql target -d postgres -c "SELECT rolpassword FROM pg_authid WHERE rolname = 'cr_app'")" "$HASH" \
  "the password hash is copied for a superuser caller"
t_is "$(pgc_psql target -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'cr_super'")" t "SUPERUSER given by a superuser"
want=$(roles_dump source)
got=$(roles_dump target)
t_like "$want" 'ALTER ROLE cr_app SET search_path TO' "the source's roles dump has the settings (the comparison is not empty)"
t_is "$got" "$want" "pg_dumpall --roles-only: the cloned roles are identical (attributes, hashes, comments, memberships, settings)"
t_is "$(pgc_psql target -d postgres -c "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE setrole = 'cr_app'::regrole")" \
  'statement_timeout=5s' "per-database settings: only for databases the target has"

# ---- a second run updates
pgc_psql target -d postgres -c "ALTER ROLE cr_admin CONNECTION LIMIT 1 NOCREATEDB" -c "REVOKE cr_group FROM \"cr Mixed\"" \
  -c "ALTER ROLE cr_app RESET work_mem" -c "ALTER ROLE cr_app SET work_mem TO '1MB'" -c "ALTER ROLE cr_app SET maintenance_work_mem TO '9MB'" >/dev/null
out=$(pgc_try_target "SELECT pgclone.clone_roles($(pgc_ql "$SRC"), 'cr_admin,cr_app,cr_group,cr Mixed,cr_super,cr_reader')")
t_is "$out" 'OK OK: 0 roles created, 6 roles updated, 1 grants applied' "a second run updates, it does not duplicate"
t_is "$(roles_dump target)" "$want" "after the update the roles are identical to the source's again"
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_auth_members WHERE member = 'cr_app'::regrole")" 1 \
  "memberships are not duplicated"

# ---- the hash is never shown
jobs=$(pgc_psql target -c "SELECT * FROM pgclone.jobs_view WHERE op_type = 'clone_roles'")
t_like "$jobs" 'clone_roles' "clone_roles jobs are listed in jobs_view"
t_unlike "$jobs" 'SCRAM-SHA-256' "jobs_view never shows a password hash"
t_is "$(grep -c 'SCRAM-SHA-256' "$PGC_AGENT_LOG")" 0 "the agent log never shows a password hash"
t_is "$(grep -c "${HASH:0:40}" "$PGC_TARGET_LOG")" 0 "the target server log never shows the password hash"

# ---- then a database clone with "owner": "source" is pg_dump-identical
pgc_psql source -d postgres -c "CREATE DATABASE cr_owned" -c "CREATE ROLE cr_ghost NOLOGIN" >/dev/null
pgc_psql source -d cr_owned >/dev/null <<'SQL'
CREATE SCHEMA app AUTHORIZATION cr_admin;
GRANT USAGE ON SCHEMA app TO cr_group;
CREATE TYPE app.mood AS ENUM ('calm', 'angry');
ALTER TYPE app.mood OWNER TO cr_admin;
CREATE DOMAIN app.posint AS integer CHECK (VALUE > 0);
ALTER DOMAIN app.posint OWNER TO cr_app;
CREATE TABLE app.accounts (id serial PRIMARY KEY, name text, mood app.mood, n app.posint);
ALTER TABLE app.accounts OWNER TO cr_app;
INSERT INTO app.accounts (name, mood, n) VALUES ('a', 'calm', 1), ('b', 'angry', 2);
GRANT SELECT ON app.accounts TO cr_group;
GRANT SELECT (name), UPDATE (name) ON app.accounts TO "cr Mixed";
CREATE SEQUENCE app.tickets;
ALTER SEQUENCE app.tickets OWNER TO cr_group;
GRANT USAGE ON SEQUENCE app.tickets TO cr_app;
CREATE VIEW app.names AS SELECT name FROM app.accounts;
ALTER VIEW app.names OWNER TO cr_app;
GRANT SELECT ON app.names TO "cr Mixed" WITH GRANT OPTION;
CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.accounts;
ALTER MATERIALIZED VIEW app.counts OWNER TO cr_app;
CREATE FUNCTION app.answer() RETURNS integer LANGUAGE sql AS 'SELECT 42';
ALTER FUNCTION app.answer() OWNER TO cr_app;
REVOKE EXECUTE ON FUNCTION app.answer() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.answer() TO cr_group;
CREATE SCHEMA other;
CREATE TABLE other.plain (x integer);
GRANT SELECT ON other.plain TO cr_app;
CREATE SCHEMA ghost AUTHORIZATION cr_ghost;
-- what the clone reuses or makes outside the schemas: the database itself,
-- its public schema, a large object, settings of the database and of a role in it
ALTER DATABASE cr_owned OWNER TO cr_admin;
ALTER DATABASE cr_owned SET work_mem TO '3MB';
ALTER ROLE cr_app IN DATABASE cr_owned SET search_path TO app, public;
ALTER SCHEMA public OWNER TO cr_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT lo_from_bytea(424242, 'lo bytes');
ALTER LARGE OBJECT 424242 OWNER TO cr_app;
GRANT SELECT ON LARGE OBJECT 424242 TO cr_group;
-- a default on a sequence the table does not own, for table()
CREATE TABLE app.uses_ticket (id bigint DEFAULT nextval('app.tickets'), note text);
ALTER TABLE app.uses_ticket OWNER TO cr_app;
SQL
t_ok $? "source database cr_owned: objects owned by the cloned roles, with grants"
OWNED=${SRC/dbname=$PGC_SOURCE_DB/dbname=cr_owned}
OWNED_PW=${PGC_SOURCE_CONNINFO_PW/dbname=$PGC_SOURCE_DB/dbname=cr_owned}
full_dump() {   # full_dump CLUSTER DB: pg_dump --schema-only with owners and privileges
  local up sock port
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  "$PGC_PG_BINDIR/pg_dump" -h "$sock" -p "$port" -U postgres -d "$2" --schema-only --create -N pgclone -N ghost 2>&1 |
    grep -v -E '^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )|EXTENSION (IF NOT EXISTS )?pgclone' | sed '/^[[:space:]]*$/d'
}

out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$OWNED"), 'app', true, '{\"owner\": \"nobody\"}')")
t_like "$out" '^ERROR 22023 option "owner" must be "caller" or "source"' "owner: an unknown value is 22023"
out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$OWNED"), 'ghost', true, '{\"owner\": \"source\"}')")
t_like "$out" '^ERROR 42704 owner role "cr_ghost" does not exist on the target' "owner source: an owner missing on the target is 42704 up front"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ghost'")" 0 "... and the schema was not created"

pgc_psql target -d postgres -c "CREATE ROLE cr_caller LOGIN" >/dev/null
pgc_psql target -c "GRANT USAGE ON SCHEMA pgclone TO cr_caller" -c "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO cr_caller" \
  -c "GRANT CREATE ON DATABASE \"$PGC_TARGET_DB\" TO cr_caller" >/dev/null
out=$(PGC_PSQL_USER=cr_caller pgc_try_target "SELECT pgclone.schema($(pgc_ql "$OWNED_PW"), 'app', true, '{\"owner\": \"source\"}')")
t_like "$out" '^ERROR 42501 permission denied to give objects to roles "cr_admin", "cr_app", "cr_group"' \
  "owner source by a non-superuser that is not a member of the owners: 42501 naming them"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")" 0 "... and the schema was not created"

pgc_psql source -d cr_owned -c "DROP SCHEMA ghost" >/dev/null
# a setting of a role the target lacks: skipped with a WARNING, the rest goes on
pgc_psql source -d postgres -c "ALTER ROLE cr_ghost IN DATABASE cr_owned SET work_mem TO '2MB'" >/dev/null
out=$(pgc_psql target -c "SET client_min_messages = warning" \
  -c "SELECT pgclone.database_create($(pgc_ql "$OWNED"), 'cr_owned', true, '{\"owner\": \"source\", \"privileges\": true}')" 2>&1)
t_like "$out" 'OK: cloned database into cr_owned' "database_create with owner source (${out:0:160})"
t_like "$out" 'WARNING: +skipped setting work_mem of role "cr_ghost" in database cr_owned: the role does not exist on the target' \
  "... a role setting for a role missing on the target is skipped with a WARNING naming it"
src_dump=$(full_dump source cr_owned | grep -v 'ALTER ROLE cr_ghost IN DATABASE')
dst_dump=$(full_dump target cr_owned)
t_like "$src_dump" 'ALTER TABLE app.accounts OWNER TO cr_app' "the source dump names the owners (the comparison is not vacuous)"
t_like "$src_dump" 'ALTER DATABASE cr_owned OWNER TO cr_admin' "... and the database's owner"
t_like "$src_dump" 'ALTER ROLE cr_app IN DATABASE cr_owned SET search_path' "... and a role's setting in the database"
t_like "$src_dump" 'ALTER SCHEMA public OWNER TO cr_app' "... and the public schema's owner"
d=$(diff <(echo "$src_dump") <(echo "$dst_dump"))
t_is "$d" "" "pg_dump --schema-only with owners and privileges: source and clone identical"
t_is "$(pgc_psql target -d cr_owned -c "SELECT string_agg(name, ',' ORDER BY id) FROM app.accounts")" "a,b" "the rows came along"
lo_sql="SELECT lomowner::regrole || ' ' || lomacl::text FROM pg_largeobject_metadata WHERE oid = 424242"
t_is "$(pgc_psql target -d cr_owned -c "$lo_sql")" "$(pgc_psql source -d cr_owned -c "$lo_sql")" \
  "the large object has its source owner and ACL ($(pgc_psql source -d cr_owned -c "$lo_sql"))"

# table() with "owner": "source": the sequence its default uses (not its own)
# gets its source owner and grants too
out=$(pgc_try_target "SELECT pgclone.table($(pgc_ql "$OWNED"), 'app', 'uses_ticket', true, 'uses_ticket', '{\"owner\": \"source\", \"privileges\": true}')")
t_like "$out" '^OK OK: cloned app.uses_ticket.*1 sequence' "table() with owner source creates the default's sequence (${out:0:120})"
seq_sql="SELECT c.relowner::regrole || ' ' || c.relacl::text FROM pg_class c WHERE c.oid = 'app.tickets'::regclass"
t_is "$(pgc_psql target -c "$seq_sql")" "$(pgc_psql source -d cr_owned -c "$seq_sql")" \
  "the sequence has its source owner and ACL ($(pgc_psql source -d cr_owned -c "$seq_sql"))"
t_is "$(pgc_psql target -c "SELECT relowner::regrole FROM pg_class WHERE oid = 'app.uses_ticket'::regclass")" cr_app \
  "the table has its source owner"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS cr_owned WITH (FORCE)" >/dev/null 2>&1
pgc_psql target -c "DROP SCHEMA IF EXISTS app CASCADE" -c "DROP SCHEMA IF EXISTS ghost CASCADE" >/dev/null 2>&1
drop_roles source
drop_roles target
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS cr_source_only" -c "DROP DATABASE IF EXISTS cr_owned" >/dev/null 2>&1
t_done
