#!/usr/bin/env bash
# Honest results (issue 19): a clone whose scope holds a kind of object it
# does not bring fails up front naming the objects, unless the option
# "exclude_kinds" leaves that kind out on purpose; the result text then lists
# every kind the options left out (indexes, triggers, ... too).
#  - schema(): an event trigger whose function is in the cloned schema;
#  - database()/database_create(): a subscription of the source database;
#  - every clone: relations and indexes in a non-default tablespace.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=honest_src
NEW=honest_new
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $NEW WITH (FORCE)" >/dev/null 2>&1
pgc_psql target -c "DROP SCHEMA IF EXISTS app CASCADE" >/dev/null 2>&1
pgc_psql source -d "$SRC" >/dev/null <<'SQL'
CREATE SCHEMA app;
CREATE TABLE app.items (id integer PRIMARY KEY, name text);
CREATE INDEX items_name ON app.items (name);
INSERT INTO app.items VALUES (1, 'a'), (2, 'b');
CREATE FUNCTION app.no_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'no drops here'; END $$;
CREATE EVENT TRIGGER app_no_drop ON sql_drop EXECUTE FUNCTION app.no_drop();
-- never connects: no publisher is needed for it to exist
CREATE SUBSCRIPTION honest_sub CONNECTION 'host=/nonexistent dbname=nowhere' PUBLICATION p
  WITH (connect = false, enabled = false, create_slot = false, slot_name = NONE);
SQL
t_ok $? "source database $SRC: a schema with an event trigger's function, and a subscription"
SRC_CONNINFO=${PGC_SOURCE_CONNINFO/dbname=$PGC_SOURCE_DB/dbname=$SRC}

# ---- schema(): the event trigger
out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'app', true)")
t_like "$out" '^ERROR 0A000 event trigger app_no_drop of the source runs a function of the cloned schema, and a schema clone does not bring event triggers\|' \
  "schema(): an event trigger running a function of the schema fails up front (${out:0:160})"
t_like "$out" "exclude_kinds" "... and the hint names the option"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")" 0 "... and nothing was created"

out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'app', true, '{\"exclude_kinds\": [\"event_triggers\"], \"triggers\": false}')")
t_like "$out" '^OK OK: cloned schema app: 1 table \(2 rows\).*\(excluded: triggers, event triggers\)$' \
  "schema() with exclude_kinds event_triggers: OK, and the result lists what the options left out (${out:0:200})"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_event_trigger")" 0 "... and no event trigger on the target"
pgc_psql target -c "DROP SCHEMA app CASCADE" >/dev/null

# ---- table(): excluded kinds in its result too
out=$(pgc_try_target "SELECT pgclone.table($(pgc_ql "$SRC_CONNINFO"), 'app', 'items', true, 'items', '{\"indexes\": false}')")
t_like "$out" '^OK OK: cloned app\.items, 2 rows, .*\(excluded: indexes\)$' "table() with indexes false says so (${out:0:160})"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name'")" 0 "... and left the index out"
pgc_psql target -c "DROP SCHEMA app CASCADE" >/dev/null

# ---- database_create(): the subscription
out=$(pgc_try_target "SELECT pgclone.database_create($(pgc_ql "$SRC_CONNINFO"), '$NEW', true)")
t_like "$out" '^ERROR 0A000 the source database has subscriptions, which clones do not bring: honest_sub\|' \
  "database_create(): a subscription fails up front (${out:0:160})"
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$NEW'")" 0 \
  "... and the database it created was dropped again"

out=$(pgc_try_target "SELECT pgclone.database_create($(pgc_ql "$SRC_CONNINFO"), '$NEW', true, '{\"exclude_kinds\": [\"subscriptions\"]}')")
t_like "$out" '^OK OK: cloned database into honest_new: .*\(excluded: subscriptions\)$' \
  "database_create() with exclude_kinds subscriptions: OK, and the result says so (${out:0:200})"
t_is "$(pgc_psql target -d "$NEW" -c "SELECT string_agg(evtname, ',') FROM pg_event_trigger")" app_no_drop \
  "... the event trigger came along (database clones bring them)"
t_is "$(pgc_psql target -d "$NEW" -c "SELECT count(*) FROM pg_subscription")" 0 "... no subscription was created"
pgc_psql target -d postgres -c "DROP DATABASE $NEW WITH (FORCE)" >/dev/null

out=$(pgc_try_target "SELECT pgclone.database_create($(pgc_ql "$SRC_CONNINFO"), '$NEW', true, '{\"exclude_kinds\": [\"subscriptions\", \"event_triggers\"]}')")
t_like "$out" '^OK OK: .*\(excluded: subscriptions, event triggers\)$' "both kinds excluded (${out:0:200})"
t_is "$(pgc_psql target -d "$NEW" -c "SELECT count(*) FROM pg_event_trigger")" 0 "... and then no event trigger either"
pgc_psql target -d postgres -c "DROP DATABASE $NEW WITH (FORCE)" >/dev/null

# ---- bad option values: 22023 before any job
out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'app', true, '{\"exclude_kinds\": [\"indexes\"]}')")
t_like "$out" '^ERROR 22023 option "exclude_kinds": unknown kind "indexes"' "an unknown kind is 22023 (${out:0:160})"
out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'app', true, '{\"exclude_kinds\": [\"subscriptions\"]}')")
t_like "$out" '^ERROR 22023 option "exclude_kinds": "subscriptions" only applies to database clones' "subscriptions for a schema clone is 22023"
out=$(pgc_try_target "SELECT pgclone.database_create($(pgc_ql "$SRC_CONNINFO"), '$NEW', true, '{\"exclude_kinds\": [\"subscriptions\", \"subscriptions\"]}')")
t_like "$out" '^ERROR 22023 option "exclude_kinds" names "subscriptions" twice' "a kind named twice is 22023"
out=$(pgc_try_target "SELECT pgclone.table($(pgc_ql "$SRC_CONNINFO"), 'app', 'items', true, 'items', '{\"exclude_kinds\": [\"event_triggers\"]}')")
t_like "$out" '^ERROR 22023 option "exclude_kinds": "event_triggers" only applies to schema and database clones' "event_triggers for table() is 22023"

# ---- tablespaces: placement is not cloned, so relations in one are refused
# unless "exclude_kinds" names "tablespaces" (every kind of clone)
TS_DIR="$PGC_TMPDIR/honest_ts"
rm -rf "$TS_DIR"; mkdir -p "$TS_DIR"; chown postgres "$TS_DIR" 2>/dev/null
pgc_psql source -d postgres -c "DROP TABLESPACE IF EXISTS honest_ts" -c "CREATE TABLESPACE honest_ts LOCATION '$TS_DIR'" >/dev/null
pgc_psql source -d "$SRC" >/dev/null <<'SQL'
CREATE SCHEMA tbs;
CREATE TABLE tbs.placed (id integer PRIMARY KEY, v text) TABLESPACE honest_ts;
CREATE INDEX placed_v ON tbs.placed (v) TABLESPACE honest_ts;
INSERT INTO tbs.placed VALUES (1, 'x');
SQL
t_ok $? "source: schema tbs with a table and an index in tablespace honest_ts"
out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'tbs', true)")
t_like "$out" '^ERROR 0A000 the clone holds relations in non-default tablespaces, which pgclone does not place: tbs\.placed \(tablespace honest_ts\), tbs\.placed_v \(tablespace honest_ts\)\|' \
  "schema(): relations in a tablespace fail up front, named (${out:0:200})"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'tbs'")" 0 "... and nothing was created"
out=$(pgc_try_target "SELECT pgclone.table($(pgc_ql "$SRC_CONNINFO"), 'tbs', 'placed', true)")
t_like "$out" '^ERROR 0A000 the clone holds relations in non-default tablespaces' "table(): the same (${out:0:120})"
out=$(pgc_try_target "SELECT pgclone.schema($(pgc_ql "$SRC_CONNINFO"), 'tbs', true, '{\"exclude_kinds\": [\"tablespaces\"]}')")
t_like "$out" '^OK OK: cloned schema tbs: 1 table \(1 row\).*\(excluded: tablespaces\)$' "schema() with exclude_kinds tablespaces: OK, said in the result (${out:0:200})"
t_is "$(pgc_psql target -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'tbs'::regnamespace AND reltablespace <> 0")" 0 \
  "... in the target's default tablespace"
pgc_psql target -c "DROP SCHEMA tbs CASCADE" >/dev/null
out=$(pgc_try_target "SELECT pgclone.table($(pgc_ql "$SRC_CONNINFO"), 'tbs', 'placed', true, 'placed', '{\"exclude_kinds\": [\"tablespaces\"]}')")
t_like "$out" '^OK OK: cloned tbs\.placed, 1 row, .*\(excluded: tablespaces\)$' "table() with exclude_kinds tablespaces: OK (${out:0:160})"
pgc_psql target -c "DROP SCHEMA IF EXISTS tbs CASCADE" >/dev/null

pgc_psql source -d "$SRC" -c "ALTER SUBSCRIPTION honest_sub SET (slot_name = NONE)" -c "DROP SUBSCRIPTION honest_sub" >/dev/null 2>&1
pgc_psql source -d "$SRC" -c "DROP EVENT TRIGGER app_no_drop" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "DROP TABLESPACE IF EXISTS honest_ts" >/dev/null 2>&1
t_done
