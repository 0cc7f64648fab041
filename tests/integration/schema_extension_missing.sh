#!/usr/bin/env bash
# An extension the schema needs but the target cannot install: 0A000 naming
# the extension, and nothing created on the target.
# Both clusters share one installation, so the script makes an extension
# "vanish": it writes a tiny extension into the share directory, creates it in
# a source database, and removes its files again before cloning. Needs write
# access to $(pg_config --sharedir)/extension (root, as tests/run.sh runs).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

EXT="pgclone_vanish_$$"
EXTDIR="$("$PG_CONFIG" --sharedir)/extension"
SRC=pgclone_vanish_src
DB=pgclone_vanish_tgt

remove_ext_files() { rm -f "$EXTDIR/$EXT.control" "$EXTDIR/$EXT--1.0.sql"; }
trap 'remove_ext_files; pgc_cleanup' EXIT   # (pgc_cleanup: a no-op unless this script built its own clusters)

cat >"$EXTDIR/$EXT.control" <<EOF
comment = 'pgclone test: an extension that exists only while the source is prepared'
default_version = '1.0'
relocatable = true
EOF
cat >"$EXTDIR/$EXT--1.0.sql" <<'EOF'
CREATE DOMAIN vanish_dom AS integer CHECK (VALUE > 0);
CREATE FUNCTION vanish_fn(integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN $1 * 2;
EOF
t_ok $? "temporary extension $EXT written to $EXTDIR"

pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" >/dev/null <<SQL
CREATE SCHEMA vanish_ext;
CREATE EXTENSION $EXT SCHEMA vanish_ext;
CREATE SCHEMA vanish;
CREATE TABLE vanish.t (id integer PRIMARY KEY, v vanish_ext.vanish_dom, w integer DEFAULT vanish_ext.vanish_fn(21));
INSERT INTO vanish.t (id, v) SELECT g, g FROM generate_series(1, 100) g;
CREATE TABLE vanish.plain (id integer);
SQL
t_ok $? "source database $SRC: schema vanish uses a type and a function of extension $EXT"
remove_ext_files
t_is "$(pgc_psql target -d postgres -c "SELECT count(*) FROM pg_available_extensions WHERE name = '$EXT'")" 0 \
  "the extension's files are gone: the target cannot install it"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
pgc_psql target -d postgres -c "CREATE DATABASE $DB" \
  -c "ALTER DATABASE $DB SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null &&
  pgc_psql target -d "$DB" -c "CREATE EXTENSION pgclone" >/dev/null
t_ok $? "fresh target database $DB (pgclone only, so database() meets no conflict)"
before=$(pgc_psql target -d "$DB" -c "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace")

src="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"
out=$(pgc_psql target -d "$DB" -v VERBOSITY=verbose -c "SELECT pgclone.schema('$src', 'vanish')" 2>&1 | pgc_parse_psql_error)
t_like "$out" "^ERROR 0A000 .*$EXT" "schema(): 0A000 naming the missing extension: $out"
out=$(pgc_psql target -d "$DB" -v VERBOSITY=verbose -c "SELECT pgclone.database('$src')" 2>&1 | pgc_parse_psql_error)
t_like "$out" "^ERROR 0A000 .*$EXT" "database(): 0A000 naming the missing extension: $out"
sleep 1
t_is "$(pgc_psql target -d "$DB" -c "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace")" "$before" \
  "nothing was created on the target (no schema vanish or vanish_ext)"
t_is "$(pgc_psql target -d "$DB" -c "SELECT count(*) FROM pg_extension WHERE extname = '$EXT'")" 0 "no extension either"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
t_done
