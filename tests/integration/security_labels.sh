#!/usr/bin/env bash
# Security labels (issue 12): schema(), table() of a plain table, database()
# (large objects and the database itself too) and clone_roles() give what
# they create the source's SECURITY LABELs, as pg_dump and pg_dumpall do. No label provider ships with Debian's
# PostgreSQL, so the test builds PostgreSQL's own test provider,
# src/test/modules/dummy_seclabel (fetched with the regression suite by
# scripts/fetch-regress-suite.sh), with PGXS and loads it in the source and
# target databases through session_preload_libraries. A target without the
# provider must fail the clone with the server's error, leaving nothing.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=seclabel_src
TGT=seclabel_tgt
BARE=seclabel_bare
WORK="$PGC_TMPDIR/seclabel"
suite=$("$PGC_REPO/scripts/fetch-regress-suite.sh")
t_ok $? "PostgreSQL's test modules from Debian's source package: $suite/../modules/dummy_seclabel"
module="$suite/../modules/dummy_seclabel"
[ -f "$module/dummy_seclabel.c" ] || { t_done; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK"
cp "$module/dummy_seclabel.c" "$WORK/"
build=$(pgc_build_pgxs_module "$WORK" dummy_seclabel)
t_ok $? "dummy_seclabel.so built with PGXS and installed into $("$PG_CONFIG" --pkglibdir)" "$(tail -n 5 <<<"$build")"

for db in "$SRC"; do pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
for db in "$TGT" "$BARE" seclabel_dbclone; do pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
out=$(pgc_psql source -d postgres -c "CREATE DATABASE $SRC" \
        -c "ALTER DATABASE $SRC SET session_preload_libraries = 'dummy_seclabel'" 2>&1 &&
      pgc_psql source -d "$SRC" 2>&1 <<'SQL'
CREATE SCHEMA lab;
CREATE TABLE lab.docs (id int PRIMARY KEY, body text);
INSERT INTO lab.docs VALUES (1, 'one'), (2, 'two');
CREATE VIEW lab.docs_view AS SELECT id FROM lab.docs;
CREATE SEQUENCE lab.counter;
CREATE FUNCTION lab.twice(x int) RETURNS int LANGUAGE sql AS 'SELECT 2 * x';
CREATE TYPE lab.mood AS ENUM ('ok', 'not ok');
CREATE DOMAIN lab.pos AS int CHECK (VALUE > 0);
SECURITY LABEL ON SCHEMA lab IS 'unclassified';
SECURITY LABEL ON TABLE lab.docs IS 'classified';
SECURITY LABEL ON COLUMN lab.docs.body IS 'secret';
SECURITY LABEL ON VIEW lab.docs_view IS 'unclassified';
SECURITY LABEL ON SEQUENCE lab.counter IS 'classified';
SECURITY LABEL ON FUNCTION lab.twice(int) IS 'top secret';
SECURITY LABEL ON TYPE lab.mood IS 'unclassified';
SECURITY LABEL ON DOMAIN lab.pos IS 'classified';
SQL
)
t_ok $? "source database $SRC: schema lab with 8 security labels (provider dummy)" "$out"

out=$(pgc_create_target_db "$TGT" 2>&1 &&
      pgc_psql target -d postgres -c "ALTER DATABASE $TGT SET session_preload_libraries = 'dummy_seclabel'" 2>&1 &&
      pgc_create_target_db "$BARE" 2>&1)
t_ok $? "target databases $TGT (provider loaded) and $BARE (no provider)" "$out"

conninfo="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
labels_sql="SELECT string_agg(d, E'\n' ORDER BY d) FROM (
              SELECT pg_describe_object(classoid, objoid, objsubid) || ' = ' || label AS d
                FROM pg_seclabel WHERE provider = 'dummy') l"
out=$(pgc_try_target_db "$TGT" "SELECT pgclone.schema($(pgc_ql "$conninfo"), 'lab', true)")
t_like "$out" '^OK OK: cloned schema lab' "schema() of lab into a target with the provider" "$out"
src_labels=$(pgc_psql source -d "$SRC" -c "$labels_sql")
t_is "$(grep -c . <<<"$src_labels")" 8 "the source has its 8 labels" "$src_labels"
t_is "$(pgc_psql target -d "$TGT" -c "$labels_sql" 2>&1)" "$src_labels" \
  "the clone's objects carry the source's labels (schema, table, column, view, sequence, function, type, domain)"
src_dump=$(pgc_schema_dump source "$SRC" lab privileges)
t_is "$(grep -c '^SECURITY LABEL' <<<"$src_dump")" 8 "pg_dump of the source prints its 8 SECURITY LABEL statements"
t_is "$(pgc_schema_dump target "$TGT" lab privileges)" "$src_dump" "pg_dump --schema-only -n lab (labels and privileges included) of source and clone identical"

out=$(pgc_try_target_db "$BARE" "SELECT pgclone.schema($(pgc_ql "$conninfo"), 'lab', true)")
t_like "$out" '^ERROR 22023 .*security label provider "dummy" is not loaded' \
  "a target without the provider: the server's 22023, naming the provider" "$out"
t_is "$(pgc_psql target -d "$BARE" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'lab'")" 0 \
  "and nothing of the schema is left on that target"

# table() of a plain table: its labels, its columns' (those cloned) and those
# of the sequences it creates (owned by a column, or called by a default).
out=$(pgc_psql source -d "$SRC" 2>&1 <<'SQL'
CREATE SCHEMA tab;
CREATE SEQUENCE tab.ticket;
CREATE TABLE tab.orders (id serial PRIMARY KEY, ticket bigint DEFAULT nextval('tab.ticket'), note text, extra text);
INSERT INTO tab.orders (note, extra) VALUES ('a', 'b');
SECURITY LABEL ON TABLE tab.orders IS 'classified';
SECURITY LABEL ON COLUMN tab.orders.note IS 'secret';
SECURITY LABEL ON COLUMN tab.orders.extra IS 'unclassified';
SECURITY LABEL ON SEQUENCE tab.orders_id_seq IS 'classified';
SECURITY LABEL ON SEQUENCE tab.ticket IS 'unclassified';
SQL
)
t_ok $? "source: table tab.orders with 5 labels (table, 2 columns, its serial sequence, the sequence its default calls)" "$out"
tab_labels_sql="SELECT string_agg(d, E'\n' ORDER BY d) FROM (
              SELECT pg_describe_object(classoid, objoid, objsubid) || ' = ' || label AS d FROM pg_seclabel
               WHERE provider = 'dummy' AND classoid = 'pg_class'::regclass
                 AND objoid IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                 WHERE n.nspname = 'tab')) l"
out=$(pgc_try_target_db "$TGT" "SELECT pgclone.table($(pgc_ql "$conninfo"), 'tab', 'orders', true)")
t_like "$out" '^OK OK: cloned tab.orders' "table() of tab.orders into a target with the provider" "$out"
src_tab=$(pgc_psql source -d "$SRC" -c "$tab_labels_sql")
t_is "$(grep -c . <<<"$src_tab")" 5 "the source has the 5 labels" "$src_tab"
t_is "$(pgc_psql target -d "$TGT" -c "$tab_labels_sql" 2>&1)" "$src_tab" \
  "the cloned table, its columns and both sequences carry the source's labels"
out=$(pgc_try_target_db "$TGT" "SELECT pgclone.table($(pgc_ql "$conninfo"), 'tab', 'orders', false, 'orders_copy', '{\"columns\": [\"id\", \"note\"]}')")
t_like "$out" '^OK OK: cloned tab.orders as tab.orders_copy' "table() of tab.orders as orders_copy with two of its columns" "$out"
copy_labels=$(pgc_psql target -d "$TGT" -c "SELECT string_agg(d, E'\n' ORDER BY d) FROM (
                SELECT pg_describe_object(classoid, objoid, objsubid) || ' = ' || label AS d FROM pg_seclabel
                 WHERE provider = 'dummy' AND objoid IN ('tab.orders_copy'::regclass,
                       pg_get_serial_sequence('tab.orders_copy', 'id')::regclass)) l" 2>&1)
t_is "$copy_labels" "column note of table tab.orders_copy = secret
sequence $(pgc_psql target -d "$TGT" -c "SELECT pg_get_serial_sequence('tab.orders_copy', 'id')") = classified
table tab.orders_copy = classified" "the renamed table, its cloned column and its own serial sequence carry the labels (the left-out column's does not exist)"
out=$(pgc_try_target_db "$BARE" "SELECT pgclone.table($(pgc_ql "$conninfo"), 'tab', 'orders', true)")
t_like "$out" '^ERROR 22023 .*security label provider "dummy" is not loaded' \
  "table() into a target without the provider: the server's 22023" "$out"
t_is "$(pgc_psql target -d "$BARE" -c "SELECT count(*) FROM pg_class WHERE relname IN ('orders', 'ticket', 'orders_id_seq')")" 0 \
  "and neither the table nor its sequences are left on that target"

# database(): the large objects' labels and the database's own label (given
# to the database cloned into, whatever its name).
DBT=seclabel_dbclone
out=$(pgc_psql source -d "$SRC" 2>&1 <<SQL
SELECT lo_from_bytea(424242, 'labelled bytes');
SECURITY LABEL ON LARGE OBJECT 424242 IS 'top secret';
SECURITY LABEL ON DATABASE $SRC IS 'classified';
SQL
)
t_ok $? "source: large object 424242 labelled 'top secret', database $SRC labelled 'classified'" "$out"
database_label_sql="SELECT string_agg(provider || ' = ' || label, E'\n') FROM pg_shseclabel
                     WHERE classoid = 'pg_database'::regclass
                       AND objoid = (SELECT oid FROM pg_database WHERE datname = current_database())"
out=$(pgc_psql target -d postgres -c "CREATE DATABASE $DBT" \
        -c "ALTER DATABASE $DBT SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" \
        -c "ALTER DATABASE $DBT SET session_preload_libraries = 'dummy_seclabel'" 2>&1 &&
      pgc_psql target -d "$DBT" -c "CREATE EXTENSION pgclone" 2>&1)
t_ok $? "target database $DBT: nothing but pgclone (its public schema empty), provider loaded" "$out"
out=$(pgc_try_target_db "$DBT" "SELECT pgclone.database($(pgc_ql "$conninfo"), true)")
t_like "$out" '^OK OK: cloned database into the current database: .*1 large object' "database() into $DBT" "$out"
src_labels=$(pgc_psql source -d "$SRC" -c "$labels_sql")
t_like "$src_labels" 'large object 424242 = top secret' "the source's labels include the large object's" "$src_labels"
t_is "$(pgc_psql target -d "$DBT" -c "$labels_sql" 2>&1)" "$src_labels" \
  "every label of the source database (large object, schemas, tables, columns, sequences...) on the clone"
t_is "$(pgc_psql target -d "$DBT" -c "$database_label_sql" 2>&1)" "dummy = classified" \
  "the target database carries the source database's label"

# database_create() without the provider: the last transaction (large object
# and database labels) fails with the server's 22023 and the new database goes.
SRC2=seclabel_src2
NEWDB=seclabel_created
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC2 WITH (FORCE)" >/dev/null 2>&1
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $NEWDB WITH (FORCE)" >/dev/null 2>&1
out=$(pgc_psql source -d postgres -c "CREATE DATABASE $SRC2" \
        -c "ALTER DATABASE $SRC2 SET session_preload_libraries = 'dummy_seclabel'" 2>&1 &&
      pgc_psql source -d "$SRC2" 2>&1 <<SQL
CREATE TABLE t (id int);
SELECT lo_from_bytea(424243, 'x');
SECURITY LABEL ON LARGE OBJECT 424243 IS 'classified';
SECURITY LABEL ON DATABASE $SRC2 IS 'classified';
SQL
)
t_ok $? "source database $SRC2: only a large object's and the database's labels" "$out"
conninfo2="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC2 user=postgres"
out=$(pgc_try_target_db "$BARE" "SELECT pgclone.database_create($(pgc_ql "$conninfo2"), '$NEWDB', true)")
t_like "$out" '^ERROR 22023 .*security label provider "dummy" is not loaded' \
  "database_create() whose new database has no provider: the server's 22023" "$out"
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$NEWDB'")" 0 \
  "and the new database is gone"

# clone_roles(): created and updated roles get the source's labels.
drop_roles="DROP ROLE IF EXISTS seclabel_new; DROP ROLE IF EXISTS seclabel_old"
pgc_psql target -d postgres -c "$drop_roles" >/dev/null 2>&1
pgc_psql source -d postgres -c "$drop_roles" >/dev/null 2>&1
out=$(pgc_psql source -d "$SRC" -c "CREATE ROLE seclabel_new" -c "CREATE ROLE seclabel_old" \
        -c "SECURITY LABEL ON ROLE seclabel_new IS 'classified'" \
        -c "SECURITY LABEL ON ROLE seclabel_old IS 'top secret'" 2>&1 &&
      pgc_psql target -d postgres -c "CREATE ROLE seclabel_old" 2>&1)
t_ok $? "source roles seclabel_new (classified), seclabel_old (top secret); the target has seclabel_old unlabelled" "$out"
out=$(pgc_try_target_db "$BARE" "SELECT pgclone.clone_roles($(pgc_ql "$conninfo"), 'seclabel_new, seclabel_old')")
t_like "$out" '^ERROR 22023 .*security label provider "dummy" is not loaded' \
  "clone_roles() on a target session without the provider: the server's 22023" "$out"
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = 'seclabel_new'")" 0 \
  "and no role was created"
out=$(pgc_try_target_db "$TGT" "SELECT pgclone.clone_roles($(pgc_ql "$conninfo"), 'seclabel_new, seclabel_old')")
t_like "$out" '^OK OK: 1 roles created, 1 roles updated' "clone_roles() with the provider loaded" "$out"
role_labels_sql="SELECT string_agg(r.rolname || ' = ' || l.provider || ':' || l.label, E'\n' ORDER BY r.rolname)
                   FROM pg_shseclabel l JOIN pg_roles r ON r.oid = l.objoid
                  WHERE l.classoid = 'pg_authid'::regclass AND r.rolname LIKE 'seclabel\_%'"
t_is "$(pgc_psql target -d postgres -c "$role_labels_sql" 2>&1)" "seclabel_new = dummy:classified
seclabel_old = dummy:top secret" "the created and the updated role carry the source's labels"

if [ "${PGCLONE_TEST_KEEP:-0}" != 1 ]; then
  for db in "$SRC" "$SRC2"; do pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
  for db in "$TGT" "$BARE" "$DBT" "$NEWDB"; do pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
  pgc_psql target -d postgres -c "$drop_roles" >/dev/null 2>&1
  pgc_psql source -d postgres -c "$drop_roles" >/dev/null 2>&1
fi
t_done
