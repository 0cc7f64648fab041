#!/usr/bin/env bash
# conflict=replace/rename of a target schema that holds an extension: the
# extension (citext, installed in "app") moves into the new "app" the clone
# creates, keeping its OID; the old tables (in app_old) and a column in
# another schema ("other") keep using it. replace never drops it. A clone that
# fails after the relocation committed moves it back: the target is exactly as
# before (same extension, same schema OIDs, same rows). An agent killed after
# the relocation leaves a job that resume() completes, without moving the
# extension again. A non-relocatable extension (xml2, relocatable = false)
# makes replace/rename refuse with 0A000 before anything is changed.
# An event trigger on the target records each ALTER EXTENSION, with the schema
# the extension is in afterwards, to prove when it moved.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_reloc_src
BAD=pgclone_reloc_bad
SLOW=pgclone_reloc_slow
TGT=pgclone_reloc_tgt

src_conninfo() { echo "host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$1 user=postgres"; }
# What a non-superuser must use: the source role with a password, over TCP.
src_conninfo_pw() { echo "${PGC_SOURCE_CONNINFO_PW/dbname=$PGC_SOURCE_DB/dbname=$1}"; }
# citext's operators live in app: without it in search_path, = on citext
# values would compare them as text.
q() { pgc_psql target -d "$TGT" -c "SET search_path = public, app" -c "$1" 2>&1; }
call() { pgc_try_target_db "$TGT" "$1"; }   # -> "OK <result>" or "ERROR <sqlstate> <message>|DETAIL: ...|HINT: ..."
clone_app() {   # clone_app SOURCE_DB CONFLICT
  call "SELECT pgclone.schema($(pgc_ql "$(src_conninfo "$1")"), 'app', true, '{\"conflict\": \"$2\"}')"
}

# ---------------------------------------------------------------- sources
# app holds citext and uses it; nr is a plain schema (the target's nr holds xml2).
SOURCE_SQL="
SET client_min_messages = warning;
CREATE SCHEMA app;
CREATE EXTENSION citext SCHEMA app;
CREATE TABLE app.users (id integer PRIMARY KEY, name app.citext NOT NULL UNIQUE);
INSERT INTO app.users SELECT g, 'User ' || g FROM generate_series(1, 200) g;
CREATE SCHEMA nr;
CREATE TABLE nr.t (x integer);
INSERT INTO nr.t VALUES (1), (2);"
for db in "$SRC" "$BAD" "$SLOW"; do
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  pgc_psql source -d postgres -c "CREATE DATABASE $db" >/dev/null && pgc_psql source -d "$db" -c "$SOURCE_SQL" >/dev/null
  t_ok $? "source database $db: schema app holds citext and a table using it"
done
# BAD fails after pre-data (which relocates the extension) committed: the
# policy, created with its table's load, names a role only the source has.
pgc_psql source -d "$BAD" >/dev/null <<'SQL'
SET client_min_messages = warning;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgclone_src_only') THEN CREATE ROLE pgclone_src_only; END IF;
END $$;
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON app.users TO pgclone_src_only USING (true);
SQL
t_ok $? "source database $BAD: a policy for a role the target does not have"
# SLOW loads for seconds on the target: an index expression sleeps for every
# row when the load builds it there (not on the source, where
# pgclone_test.fast is set).
pgc_psql source -d "$SLOW" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE FUNCTION app.slowly(integer) RETURNS boolean LANGUAGE sql IMMUTABLE
  AS $$ SELECT current_setting('pgclone_test.fast', true) = 'on' OR pg_sleep(0.002) IS NOT NULL $$;
CREATE TABLE app.big (id integer PRIMARY KEY);
INSERT INTO app.big SELECT generate_series(1, 2500);
SET pgclone_test.fast = on;
CREATE INDEX big_slowly ON app.big (app.slowly(id));
SQL
t_ok $? "source database $SLOW: app.big loads slowly on the target"

# ---------------------------------------------------------------- the target
# fresh_target: app (citext + an old table using it), other (a column of
# type app.citext), nr (xml2, not relocatable) and the event trigger.
fresh_target() {
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
  pgc_psql target -d postgres -c "CREATE DATABASE $TGT" \
    -c "ALTER DATABASE $TGT SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null &&
    pgc_psql target -d "$TGT" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION pgclone;
CREATE SCHEMA app;
CREATE EXTENSION citext SCHEMA app;
CREATE TABLE app.mine (id integer PRIMARY KEY, note app.citext);
INSERT INTO app.mine VALUES (1, 'Old'), (2, 'Rows');
SET search_path = public, app;
CREATE SCHEMA other;
CREATE TABLE other.people (id integer PRIMARY KEY, name app.citext NOT NULL);
INSERT INTO other.people SELECT g, 'Person ' || g FROM generate_series(1, 50) g;
CREATE VIEW other.person_7 AS SELECT id FROM other.people WHERE name = 'PERSON 7';
CREATE SCHEMA nr;
CREATE EXTENSION xml2 SCHEMA nr;
CREATE TABLE nr.t (x integer);
INSERT INTO nr.t VALUES (42);
CREATE SCHEMA watch;
CREATE TABLE watch.extension_moves (n serial PRIMARY KEY, now_in text);
CREATE FUNCTION watch.log_extension_moves() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    INSERT INTO watch.extension_moves (now_in)
      SELECT extnamespace::regnamespace::text FROM pg_extension WHERE oid = r.objid;
  END LOOP;
END $$;
CREATE EVENT TRIGGER log_extension_moves ON ddl_command_end WHEN TAG IN ('ALTER EXTENSION')
  EXECUTE FUNCTION watch.log_extension_moves();
SQL
}
# The whole state a failed clone must leave as it was.
STATE_SQL="SELECT concat_ws(' | ',
  (SELECT string_agg(nspname || '#' || oid, ',' ORDER BY nspname) FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'pgclone')),
  (SELECT string_agg(e.extname || '#' || e.oid || '@' || e.extnamespace::regnamespace, ',' ORDER BY e.extname)
     FROM pg_extension e WHERE e.extname IN ('citext', 'xml2')),
  (SELECT string_agg(id || '=' || note, ',' ORDER BY id) FROM app.mine),
  (SELECT count(*) FROM other.people) || ' people, ' || (SELECT count(*) FROM other.person_7) || ' named PERSON 7',
  (SELECT atttypid || ':' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'other.people'::regclass AND attname = 'name'),
  (SELECT string_agg(x::text, ',') FROM nr.t))"
citext_at() { q "SELECT e.oid || '@' || e.extnamespace::regnamespace FROM pg_extension e WHERE extname = 'citext'"; }
moves() { q "SELECT coalesce(string_agg(now_in, ' ' ORDER BY n), '') FROM watch.extension_moves"; }
others_ok() {   # others_ok LABEL: the column in schema other still works
  t_is "$(q "SELECT count(*) || ' ' || (SELECT count(*) FROM other.person_7) FROM other.people")" "50 1" \
    "$1: other.people keeps its 50 rows and its citext column compares case-insensitively"
}
app_ok() {   # app_ok LABEL: app holds the source's table
  t_is "$(q "SELECT count(*) || ' ' || count(*) FILTER (WHERE name = 'USER 5') FROM app.users")" "200 1" \
    "$1: app.users has the source's 200 rows, name is citext"
}
agent_quiet() {   # no agent transaction is open on the target database
  [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND application_name = 'pgclone-agent' AND xact_start IS NOT NULL")" = 0 ]
}
wait_quiet() { pgc_wait_until 50 agent_quiet; }

# ---------------------------------------------------------------- not relocatable: refused, nothing changed
fresh_target
t_ok $? "target $TGT: app holds citext, other uses it, nr holds xml2"
before=$(q "$STATE_SQL")
for mode in replace rename; do
  res=$(call "SELECT pgclone.schema($(pgc_ql "$(src_conninfo "$SRC")"), 'nr', true, '{\"conflict\": \"$mode\"}')")
  t_like "$res" '^ERROR 0A000 cannot move schema nr aside: extension "xml2" installed in it cannot be relocated' \
    "$mode of nr: 0A000 naming xml2: $res"
  t_like "$res" '\|DETAIL: .*relocatable = false.*\|HINT: .+' "$mode of nr: a DETAIL saying why and a HINT"
done
# database() checks every schema before changing any: app (first in order,
# relocatable) is not moved aside either.
res=$(call "SELECT pgclone.database($(pgc_ql "$(src_conninfo "$SRC")"), true, '{\"conflict\": \"replace\"}')")
t_like "$res" '^ERROR 0A000 .*"xml2"' "database() with replace: 0A000 naming xml2: $res"
wait_quiet
t_is "$(q "$STATE_SQL")" "$before" "refused: the target is exactly as before (schemas, extensions, rows)"
t_is "$(moves)" "" "refused: no extension was moved"

# The calling role owns schema app but not citext: ALTER EXTENSION would be
# refused, so the clone is, before anything changes.
pgc_psql target -d "$TGT" >/dev/null <<SQL
SET client_min_messages = warning;
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgclone_reloc_user') THEN CREATE ROLE pgclone_reloc_user; END IF;
END \$\$;
GRANT CREATE ON DATABASE $TGT TO pgclone_reloc_user;
GRANT USAGE ON SCHEMA pgclone TO pgclone_reloc_user;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_reloc_user;
ALTER SCHEMA app OWNER TO pgclone_reloc_user;
SQL
before=$(q "$STATE_SQL")
res=$(call "SET ROLE pgclone_reloc_user; SELECT pgclone.schema($(pgc_ql "$(src_conninfo_pw "$SRC")"), 'app', true, '{\"conflict\": \"replace\"}')")
t_like "$res" '^ERROR 42501 must be owner of extension "citext" to clone over schema app\|DETAIL: .+\|HINT: .+' \
  "replace by a role that owns app but not citext: 42501: $res"
wait_quiet
t_is "$(q "$STATE_SQL")" "$before" "42501: the target is exactly as before"
q "ALTER SCHEMA app OWNER TO postgres" >/dev/null

# ---------------------------------------------------------------- replace
citext0=$(citext_at)
res=$(clone_app "$SRC" replace)
t_like "$res" '^OK OK: cloned schema app: 1 table \(200 rows\)' "replace of app: $res"
t_is "$(citext_at)" "$citext0" "replace: citext is the same extension (same OID), in the new app"
t_is "$(q "SELECT extnamespace = 'app'::regnamespace FROM pg_extension WHERE extname = 'citext'")" t \
  "replace: ... and app is the new schema"
app_ok replace
t_is "$(q "SELECT to_regclass('app.mine') IS NULL")" t "replace: the old table is gone"
others_ok replace
t_is "$(q "SELECT coalesce(string_agg(nspname, ','), '') FROM pg_namespace WHERE nspname ~ '^app.'")" "" \
  "replace: no other copy of app left behind"
t_like "$(moves)" '^app$' "replace: citext moved once, into app"
res=$(clone_app "$SRC" replace)
t_like "$res" '^OK OK: cloned schema app: 1 table \(200 rows\)' "replace again (over the clone, citext now in it): $res"
t_is "$(citext_at)" "$citext0" "replace twice: still the same citext in app"
app_ok "replace twice"
others_ok "replace twice"

# ---------------------------------------------------------------- rename
fresh_target
citext0=$(citext_at)
res=$(clone_app "$SRC" rename)
t_like "$res" '^OK OK: cloned schema app: 1 table \(200 rows\)' "rename of app: $res"
t_is "$(citext_at)" "$citext0" "rename: citext is the same extension (same OID)..."
t_is "$(q "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'citext'")" app "rename: ... now in the new app"
app_ok rename
t_is "$(q "SELECT string_agg(id || '=' || note, ',' ORDER BY id) || ' ' || count(*) FILTER (WHERE note = 'OLD') FROM app_old.mine")" \
  "1=Old,2=Rows 1" "rename: app_old keeps the old rows, and they still use citext"
t_is "$(q "SELECT atttypnamespace FROM (SELECT t.typnamespace::regnamespace::text AS atttypnamespace FROM pg_attribute a
             JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = 'app_old.mine'::regclass AND a.attname = 'note') x")" \
  app "rename: app_old.mine.note is of type citext in the new app"
others_ok rename

# ---------------------------------------------------------------- a failure after the relocation: undone
for mode in replace rename; do
  fresh_target
  before=$(q "$STATE_SQL")
  res=$(clone_app "$BAD" "$mode")
  t_like "$res" '^ERROR 42704 could not clone policy p on app.users: role "pgclone_src_only" does not exist' \
    "$mode from $BAD fails after the relocation: $res"
  wait_quiet
  t_like "$(moves)" "^app app_(old|replaced_[0-9]+)\$" \
    "$mode: citext was moved into the new app, then back into the old one ($(moves))"
  t_is "$(q "$STATE_SQL")" "$before" \
    "$mode undone: the target is exactly as before (same schema and extension OIDs, rows, the citext column elsewhere)"
  others_ok "$mode undone"
done

# ---------------------------------------------------------------- agent killed after the relocation; resume
fresh_target
citext0=$(citext_at)
J=$(q "SELECT pgclone.schema_async($(pgc_ql "$(src_conninfo "$SLOW")"), 'app', true, '{\"conflict\": \"rename\"}')")
loading_big() {
  [ "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = ${J:-0} AND status = 'running' AND current_phase IN ('copying data', 'building indexes')")" = 1 ]
}
pgc_wait_until 150 loading_big
t_ok $? "job $J (rename from $SLOW) is loading app.big"
sleep 0.5
pgc_agent_signal KILL
t_is "$(pgc_agent_wait_exit 5)" 137 "the agent died of SIGKILL"
wait_quiet
t_is "$(q "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'citext'") $(moves)" "app app" \
  "after the kill: citext already lives in the new app (pre-data committed)"
t_is "$(q "SELECT count(*) FROM app_old.mine")" 2 "after the kill: app_old holds the old rows"
pgc_agent_start >/dev/null
t_ok $? "the agent restarts"
t_is "$(q "SELECT status FROM pgclone.jobs_view WHERE job_id = ${J:-0}")" interrupted "job $J is interrupted"
J2=$(q "SELECT pgclone.resume(${J:-0})")
t_is "$(q "SELECT pgclone.wait(${J2:-0}, '60 s')")" completed "resume($J) = job $J2 completes"
t_is "$(citext_at)" "$citext0" "resumed: citext is the same extension..."
t_is "$(q "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'citext'") $(moves)" "app app" \
  "resumed: ... in the new app, moved exactly once"
app_ok resumed
t_is "$(q "SELECT count(*) FROM app.big")" 2500 "resumed: app.big fully loaded"
t_is "$(q "SELECT string_agg(id || '=' || note, ',' ORDER BY id) FROM app_old.mine")" "1=Old,2=Rows" "resumed: app_old keeps the old rows"
others_ok resumed
t_is "$(q "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname ~ '^app'")" "app,app_old" \
  "resumed: exactly app and app_old"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" -c "DROP ROLE IF EXISTS pgclone_reloc_user" >/dev/null 2>&1
for db in "$SRC" "$BAD" "$SLOW"; do
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
done
t_done
