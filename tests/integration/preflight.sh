#!/usr/bin/env bash
# pgclone.preflight(conninfo, schema): a clean case where every check is ok,
# then, for every check, a source or target that makes it fail: an extension
# the target lacks or the caller may not create, a role the grants name, too
# few locks (a source cluster of its own with a tiny lock table), missing
# privileges on the source and on the target, objects only a superuser may
# create, a name conflict, a collation the target lacks, another encoding and
# default collation, an unreachable source (no password shown), a missing
# schema, free space unknown to a non-superuser. Nothing changes on either
# side. Versions and the free-space thresholds are unit-tested
# (tests/unit/agent/test_preflight_verdicts.cpp).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_pf_src
SRC_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
EXT="pgclone_pf_vanish_$$"
EXTDIR="$("$PG_CONFIG" --sharedir)/extension"
LATIN_TGT=pgclone_pf_win1252
SMALL="$PGC_TMPDIR/pfsmall"

cleanup_all() {
  rm -f "$EXTDIR/$EXT.control" "$EXTDIR/$EXT--1.0.sql"
  [ -f "$SMALL/data/postmaster.pid" ] &&
    pgc_as_pg "$PGC_PG_BINDIR/pg_ctl" -D "$SMALL/data" -m immediate -w -t 20 stop >/dev/null 2>&1
  pgc_psql target -c "DROP SCHEMA IF EXISTS pf CASCADE" >/dev/null 2>&1
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $LATIN_TGT WITH (FORCE)" >/dev/null 2>&1
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
  for r in pf_nocreate pf_caller; do
    pgc_psql target -c "DROP OWNED BY $r" >/dev/null 2>&1
    pgc_psql target -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1
  done
  pgc_psql target -d postgres -c "DROP ROLE IF EXISTS pf_ghost" >/dev/null 2>&1
  pgc_psql source -d postgres -c "DROP ROLE IF EXISTS pf_ghost" -c "DROP ROLE IF EXISTS pf_limited" >/dev/null 2>&1
  pgc_scram_logout source pf_limited
}
SILENT_PID=
trap '[ -n "$SILENT_PID" ] && kill "$SILENT_PID" 2>/dev/null; cleanup_all; pgc_cleanup' EXIT
cleanup_all

# pf_report CONNINFO SCHEMA [ROLE] [DB]: the report's JSON text (or the error line).
pf_report() {
  local sql="SELECT pgclone.preflight($(pgc_ql "$1"), $(pgc_ql "$2"))" out
  if [ -n "${3:-}" ]; then out=$(PGC_PSQL_USER=$3 pgc_try_target_db "${4:-}" "$sql")
  else out=$(pgc_try_target_db "${4:-}" "$sql"); fi
  case $out in "OK "*) printf '%s' "${out#OK }" ;; *) printf '%s' "$out" ;; esac
}
# jpath JSON PATH...: the text at that path ({a,b,c}), "" when none.
jpath() { pgc_psql target -d postgres -c "SELECT $(pgc_ql "$1")::json #>> $(pgc_ql "$2")"; }
# statuses JSON: "name=status,..." of every check, sorted by name.
statuses() {
  pgc_psql target -d postgres -c "SELECT string_agg(key || '=' || (value->>'status'), ',' ORDER BY key)
    FROM json_each($(pgc_ql "$1")::json->'checks')"
}
# fingerprint SIDE DB: what a change to the catalog of database DB (relations, schemas, roles,
# extensions, ACLs, databases) would alter.
fingerprint() {
  pgc_psql "$1" -d "$2" -c "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
      SELECT c.oid::regclass::text || ':' || c.relkind || ':' || coalesce(c.relacl::text, '') FROM pg_class c
      UNION ALL SELECT nspname || coalesce(nspacl::text, '') FROM pg_namespace
      UNION ALL SELECT rolname FROM pg_roles UNION ALL SELECT extname || extversion FROM pg_extension
      UNION ALL SELECT datname FROM pg_database) s(x)"
}

# ------------------------------------------------------------------ the source
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" >/dev/null <<'SQL'
CREATE SCHEMA pf;
CREATE TABLE pf.items (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE pf.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item integer REFERENCES pf.items, qty int);
CREATE SEQUENCE pf.tickets;
INSERT INTO pf.items (name) SELECT 'item ' || g FROM generate_series(1, 500) g;
INSERT INTO pf.orders (item, qty) SELECT 1 + g % 500, g FROM generate_series(1, 2000) g;
-- grants to a role the target lacks
CREATE SCHEMA pfrole;
CREATE ROLE pf_ghost;
CREATE TABLE pfrole.t (id int);
GRANT SELECT ON pfrole.t TO pf_ghost;
-- a collation of another schema the target lacks
CREATE COLLATION public.pf_coll FROM "C";
CREATE SCHEMA pfcoll;
CREATE TABLE pfcoll.t (name text COLLATE public.pf_coll);
-- a partitioned table: the keeper locks the parent and each partition, no index
CREATE TABLE pfcoll.p (id int, v text) PARTITION BY RANGE (id);
CREATE TABLE pfcoll.p1 PARTITION OF pfcoll.p FOR VALUES FROM (0) TO (10);
CREATE TABLE pfcoll.p2 PARTITION OF pfcoll.p FOR VALUES FROM (10) TO (20);
CREATE INDEX ON pfcoll.p (id);
-- objects only a superuser creates
CREATE SCHEMA pfsu;
CREATE FUNCTION pfsu.my_abs(integer) RETURNS integer LANGUAGE internal IMMUTABLE STRICT AS 'int4abs';
CREATE TABLE pfsu.t (id int);
-- an extension that is not trusted, installed in the schema
CREATE SCHEMA pfbuf;
CREATE EXTENSION pg_buffercache SCHEMA pfbuf;
CREATE TABLE pfbuf.t (id int);
SQL
t_ok $? "source database $SRC with schemas pf, pfrole, pfcoll, pfsu, pfbuf"

# ------------------------------------------------------------------ clean case
src_before=$(fingerprint source "$SRC")
tgt_before=$(fingerprint target "$PGC_TARGET_DB")
rep=$(pf_report "$SRC_CONNINFO" pf)
t_is "$(jpath "$rep" '{ready}')" true "clean case: ready: $rep"
t_is "$(statuses "$rep")" \
  "collations=ok,conflicts=ok,disk_space=ok,encoding=ok,extensions=ok,locks=ok,roles=ok,source_connection=ok,source_privileges=ok,source_schema=ok,target_privileges=ok,versions=ok" \
  "clean case: every check is ok"
t_is "$(jpath "$rep" '{summary}')" '{"checks_run":12,"errors":0,"info":0,"warnings":0}' "clean case: summary"
t_is "$(jpath "$rep" '{checks,locks,needed}')" 5 "locks: 2 tables and 3 sequences (serial, identity, standalone)"
size=$(pgc_psql source -d "$SRC" -c "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.oid IN ('pf.items'::regclass, 'pf.orders'::regclass)")
t_is "$(jpath "$rep" '{checks,disk_space,estimated_bytes}')" "$size" "disk_space: the tables' total size on the source"
t_like "$(jpath "$rep" '{checks,disk_space,free_bytes}')" '^[1-9][0-9]*$' "disk_space: free bytes read on the target's filesystem"
t_like "$(jpath "$rep" '{checks,versions,message}')" 'PostgreSQL 15' "versions: $(jpath "$rep" '{checks,versions,message}')"
t_is "$(pgc_psql target -c "SELECT op_type || ':' || status FROM pgclone.jobs_view WHERE op_type = 'preflight' ORDER BY job_id DESC LIMIT 1")" \
  "preflight:completed" "a job of the agent, in jobs_view"
t_is "$(fingerprint source "$SRC")" "$src_before" "nothing changed on the source"
t_is "$(fingerprint target "$PGC_TARGET_DB")" "$tgt_before" "nothing changed on the target"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'pf'")" 0 "no schema pf on the target"

# ------------------------------------------------------------------ unreachable source, missing schema
dead="host=127.0.0.1 port=$PGC_DEAD_PORT dbname=$SRC user=postgres password=Pf_Secret_Pw_777 connect_timeout=5"
rep=$(pf_report "$dead" pf)
t_is "$(jpath "$rep" '{ready}')" false "unreachable source: not ready"
t_is "$(statuses "$rep")" "source_connection=error,versions=info" "unreachable source: the connection check fails; the rest is not run"
t_like "$(jpath "$rep" '{errors,0}')" '^could not connect to the source' "unreachable source: $(jpath "$rep" '{errors,0}')"
t_unlike "$rep" 'Pf_Secret_Pw_777' "the report never shows the password"
t_unlike "$(pgc_psql target -c "SELECT string_agg(j::text, ' ') FROM pgclone.jobs_view j")" 'Pf_Secret_Pw_777' \
  "jobs_view never shows the password"
rep=$(pf_report "$SRC_CONNINFO" pf_nowhere)
t_is "$(jpath "$rep" '{checks,source_schema,status}')" error "missing schema: an error check"
t_like "$(jpath "$rep" '{checks,source_schema,message}')" 'source schema pf_nowhere does not exist' "missing schema: named"

# ------------------------------------------------------------------ roles
rep=$(pf_report "$SRC_CONNINFO" pfrole)
t_is "$(jpath "$rep" '{checks,roles,status}')" error "roles: a grantee missing on the target is an error"
t_is "$(jpath "$rep" '{checks,roles,missing_grantees}')" '["pf_ghost"]' "roles: names it"
t_like "$(jpath "$rep" '{checks,roles,message}')" 'skip_missing_roles' "roles: says what the privileges option would do"
t_is "$(jpath "$rep" '{ready}')" false "roles: not ready"
pgc_psql target -d postgres -c "CREATE ROLE pf_ghost" >/dev/null
t_is "$(jpath "$(pf_report "$SRC_CONNINFO" pfrole)" '{checks,roles,status}')" ok "roles: ok once the role exists"
pgc_psql target -d postgres -c "DROP ROLE pf_ghost" >/dev/null

# ------------------------------------------------------------------ collations, encodings
rep=$(pf_report "$SRC_CONNINFO" pfcoll)
t_is "$(jpath "$rep" '{checks,collations,status}')" error "collations: a collation the target lacks"
t_is "$(jpath "$rep" '{checks,collations,missing}')" '["public.pf_coll"]' "collations: names it"
t_is "$(jpath "$rep" '{checks,locks,needed}')/$(jpath "$rep" '{checks,locks,tables}')" 4/4 \
  "locks: a partitioned table counts with each partition (and a plain table), indexes do not"
pgc_psql target -d postgres -c "CREATE DATABASE $LATIN_TGT ENCODING 'WIN1252' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
  -c "ALTER DATABASE $LATIN_TGT SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null &&
  pgc_psql target -d "$LATIN_TGT" -c "CREATE EXTENSION pgclone" >/dev/null
t_ok $? "a WIN1252 target database with C collation (the extension script's characters all exist in WIN1252)"
rep=$(pf_report "$SRC_CONNINFO" pf "" "$LATIN_TGT")
t_is "$(jpath "$rep" '{checks,encoding,status}')" warning "encoding: UTF8 into WIN1252 is a warning: $(jpath "$rep" '{checks,encoding,message}')"
t_is "$(jpath "$rep" '{checks,collations,status}')" warning "collations: another default collation is a warning"
t_like "$(jpath "$rep" '{warnings}')" 'WIN1252' "the warnings list the encoding's message"
t_is "$(jpath "$rep" '{ready}')" true "warnings alone leave the report ready"

# ------------------------------------------------------------------ extensions
rep=$(pf_report "$SRC_CONNINFO" pfbuf)
t_is "$(jpath "$rep" '{checks,extensions,status}')" ok "extensions: a superuser may create pg_buffercache"
t_is "$(jpath "$rep" '{checks,extensions,needed,0,name}')" pg_buffercache "extensions: the one the schema holds"
cat >"$EXTDIR/$EXT.control" <<EOF2
comment = 'pgclone test: an extension that exists only while the source is prepared'
default_version = '1.0'
relocatable = true
EOF2
echo 'CREATE DOMAIN pf_vanish_dom AS integer CHECK (VALUE > 0);' >"$EXTDIR/$EXT--1.0.sql"
pgc_psql source -d "$SRC" -c "CREATE SCHEMA pfext_home" -c "CREATE EXTENSION $EXT SCHEMA pfext_home" \
  -c "CREATE SCHEMA pfext" -c "CREATE TABLE pfext.t (v pfext_home.pf_vanish_dom)" >/dev/null
t_ok $? "schema pfext uses a domain of extension $EXT"
rm -f "$EXTDIR/$EXT.control" "$EXTDIR/$EXT--1.0.sql"
rep=$(pf_report "$SRC_CONNINFO" pfext)
t_is "$(jpath "$rep" '{checks,extensions,status}')" error "extensions: one the target cannot install is an error"
t_like "$(jpath "$rep" '{checks,extensions,message}')" "$EXT" "extensions: names it: $(jpath "$rep" '{checks,extensions,message}')"
t_is "$(jpath "$rep" '{ready}')" false "extensions: not ready"

# ------------------------------------------------------------------ conflicts
pgc_psql target -c "CREATE SCHEMA pf" -c "CREATE TABLE pf.items (x int)" >/dev/null
rep=$(pf_report "$SRC_CONNINFO" pf)
t_is "$(jpath "$rep" '{checks,conflicts,status}')" error "conflicts: a non-empty schema of that name"
t_is "$(jpath "$rep" '{checks,conflicts,same_name_tables}')" '["items"]' "conflicts: the table of the same name"
t_like "$(jpath "$rep" '{checks,conflicts,message}')" '"skip".*"replace".*"rename"' "conflicts: says what conflict would do"
pgc_psql target -c "DROP TABLE pf.items" >/dev/null
rep=$(pf_report "$SRC_CONNINFO" pf)
t_is "$(jpath "$rep" '{checks,conflicts,status}')" ok "conflicts: an empty schema is reused"
pgc_psql target -c "DROP SCHEMA pf" >/dev/null

# ------------------------------------------------------------------ privileges on the source
pgc_psql source -d "$SRC" -c "CREATE ROLE pf_limited LOGIN PASSWORD 'Pf_Limited_Pw_31'" \
  -c "GRANT USAGE ON SCHEMA pf TO pf_limited" -c "GRANT SELECT ON pf.items TO pf_limited" >/dev/null
pgc_scram_login source pf_limited
limited="host=127.0.0.1 port=$PGC_SOURCE_PORT dbname=$SRC user=pf_limited password=Pf_Limited_Pw_31"
rep=$(pf_report "$limited" pf)
t_is "$(jpath "$rep" '{checks,source_privileges,status}')" error "source_privileges: tables the source role may not read"
t_is "$(jpath "$rep" '{checks,source_privileges,missing_select}')" \
  '["pf.items_id_seq","pf.orders","pf.orders_id_seq","pf.tickets"]' "source_privileges: lists every one"
t_unlike "$rep" 'Pf_Limited_Pw_31' "the report never shows the source password"
rep=$(pf_report "$limited" pfrole)
t_like "$(jpath "$rep" '{checks,source_privileges,message}')" 'no USAGE privilege on schema pfrole' \
  "source_privileges: a schema without USAGE"

# ------------------------------------------------------------------ privileges on the target
pgc_caller_role pf_caller
pgc_psql target -c "CREATE ROLE pf_nocreate LOGIN" -c "GRANT USAGE ON SCHEMA pgclone TO pf_nocreate" \
  -c "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pf_nocreate" >/dev/null
reader="host=127.0.0.1 port=$PGC_SOURCE_PORT dbname=$SRC user=pgc_reader password=Reader_Secret_Pw_4242"
rep=$(pf_report "$reader" pf pf_nocreate)
t_is "$(jpath "$rep" '{checks,target_privileges,status}')" error "target_privileges: no CREATE on the database"
t_like "$(jpath "$rep" '{checks,target_privileges,message}')" 'no CREATE privilege on database' "target_privileges: says so"
t_is "$(jpath "$rep" '{checks,disk_space,status}')" info "disk_space: unknown (info) when the caller may not see the data directory"
t_like "$(jpath "$rep" '{checks,disk_space,message}')" 'unknown' "disk_space: never a guess"
rep=$(pf_report "$reader" pf pf_caller)
t_is "$(jpath "$rep" '{checks,target_privileges,status}')" ok "target_privileges: ok with CREATE on the database"
rep=$(pf_report "$reader" pfsu pf_caller)
t_is "$(jpath "$rep" '{checks,target_privileges,status}')" error "target_privileges: a function in language internal needs a superuser"
t_like "$(jpath "$rep" '{checks,target_privileges,message}')" 'pfsu.my_abs\(integer\) in language internal' "target_privileges: names it"
t_is "$(jpath "$(pf_report "$SRC_CONNINFO" pfsu)" '{checks,target_privileges,status}')" ok "target_privileges: a superuser may"
rep=$(pf_report "$reader" pfbuf pf_caller)
t_is "$(jpath "$rep" '{checks,extensions,status}')" error "extensions: an untrusted one the caller may not create"
t_is "$(jpath "$rep" '{checks,extensions,needed,0,installable}')" false "extensions: not installable by the caller"

# ------------------------------------------------------------------ locks: a source with a tiny lock table
port=$(pgc_free_port)
mkdir -p "$SMALL/data" "$SMALL/sock" && chown -R postgres:postgres "$SMALL" && chmod 700 "$SMALL/data"
pgc_as_pg "$PGC_PG_BINDIR/initdb" -D "$SMALL/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null 2>&1
cat >>"$SMALL/data/postgresql.conf" <<EOF2
port = $port
listen_addresses = ''
unix_socket_directories = '$SMALL/sock'
fsync = off
shared_buffers = 16MB
max_connections = 5
superuser_reserved_connections = 1
autovacuum_max_workers = 1
max_worker_processes = 0
max_wal_senders = 0
max_prepared_transactions = 0
max_locks_per_transaction = 10
EOF2
pgc_as_pg "$PGC_PG_BINDIR/pg_ctl" -D "$SMALL/data" -l "$SMALL/server.log" -w -t 60 start >/dev/null
t_ok $? "a source cluster whose lock table holds 10 x (5 + 1 + 1) = 70 locks"
small() { "$PGC_PG_BINDIR/psql" -X -q -A -t -h "$SMALL/sock" -p "$port" -U postgres -d postgres "$@"; }
{ echo "CREATE SCHEMA lk_mid; CREATE SCHEMA lk_big;"
  for i in $(seq 1 20); do echo "CREATE TABLE lk_mid.t$i (id int);"; done
  for i in $(seq 1 80); do echo "CREATE TABLE lk_big.t$i (id int);"; done; } | small >/dev/null
t_is "$(small -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'lk_big'::regnamespace")" 80 "80 tables in lk_big"
small_conninfo="host=$SMALL/sock port=$port dbname=postgres user=postgres"
rep=$(pf_report "$small_conninfo" lk_mid)
t_is "$(jpath "$rep" '{checks,locks,status}')" warning "locks: 20 > max_locks_per_transaction is a warning"
t_is "$(jpath "$rep" '{checks,locks,lock_table_size}')" 70 "locks: the lock table's size"
rep=$(pf_report "$small_conninfo" lk_big)
t_is "$(jpath "$rep" '{checks,locks,status}')" error "locks: 80 > the lock table is an error: $(jpath "$rep" '{checks,locks,message}')"
t_is "$(jpath "$rep" '{ready}')" false "locks: not ready"
# ------------------------------------------------------------------ a job: cancelled like a clone
SILENT_PORT=$(pgc_free_port)
(
  trap - EXIT INT TERM HUP
  pgc_close_fds
  exec python3 - "$SILENT_PORT" <<'PY'
import socket, sys
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(8)
held = []
while True:
    held.append(listener.accept()[0])  # kept open, never answered
PY
) </dev/null >/dev/null 2>&1 &
SILENT_PID=$!
for _ in $(seq 1 50); do pgc_port_in_use "$SILENT_PORT" && break; sleep 0.1; done
silent="host=127.0.0.1 port=$SILENT_PORT dbname=x user=postgres connect_timeout=0"
out=$(PGC_SQL_PRE="SET statement_timeout = '1s'" pgc_try_target "SELECT pgclone.preflight($(pgc_ql "$silent"), 'pf')")
t_like "$out" '^ERROR 57014 ' "a preflight stuck on a silent source ends at the caller's statement_timeout: ${out:0:120}"
status=""
for _ in $(seq 1 50); do
  status=$(pgc_psql target -c "SELECT status FROM pgclone.jobs_view WHERE op_type = 'preflight' ORDER BY job_id DESC LIMIT 1")
  [ "$status" = cancelled ] && break
  sleep 0.1
done
t_is "$status" cancelled "... and its job is cancelled in jobs_view"
kill "$SILENT_PID" 2>/dev/null

t_done
