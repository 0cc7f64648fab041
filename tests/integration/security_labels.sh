#!/usr/bin/env bash
# Security labels (issue 12): a schema clone gives its objects the source's
# SECURITY LABELs, as pg_dump does. No label provider ships with Debian's
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
for db in "$TGT" "$BARE"; do pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
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

if [ "${PGCLONE_TEST_KEEP:-0}" != 1 ]; then
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
  for db in "$TGT" "$BARE"; do pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
fi
t_done
