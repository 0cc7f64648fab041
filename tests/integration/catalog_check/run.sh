#!/usr/bin/env bash
# Clones awkward tables with catalog_check and compares pg_dump --schema-only of
# source and clone. Needs a running PostgreSQL 15 cluster (trust auth) with
# databases src and tgt:  run.sh <socket dir> <port>
# Builds the driver into $BUILD (default /tmp/catalog_check_build).
set -euo pipefail
HOST=${1:?socket dir}; PORT=${2:?port}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../../.." && pwd)
BUILD=${BUILD:-/tmp/catalog_check_build}; mkdir -p "$BUILD"
BIN=/usr/lib/postgresql/15/bin
PSQL="$BIN/psql -X -q -v ON_ERROR_STOP=1 -h $HOST -p $PORT -U postgres"
DUMP="$BIN/pg_dump -h $HOST -p $PORT -U postgres --schema-only"
SRC="host=$HOST port=$PORT user=postgres dbname=src"; TGT="host=$HOST port=$PORT user=postgres dbname=tgt"
S='Ünïcode Schema'

g++ -std=c++17 -Wall -Wextra -I/usr/include/postgresql -I"$ROOT/agent/src" "$HERE/catalog_check.cpp" \
  "$ROOT"/agent/src/pg/*.cpp "$ROOT/agent/src/catalog/table_catalog.cpp" "$ROOT"/agent/src/ddl/*.cpp -lpq \
  -o "$BUILD/catalog_check"

for db in src tgt; do $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"; $PSQL -d $db -f "$HERE/prereq.sql"; done
$PSQL -d src -f "$HERE/fixtures.sql" >/dev/null

# pg_dump of one table, without the per-run \restrict key
dump() { $DUMP -d "$1" -t "$2" | grep -v '^\\\(un\)\?restrict '; }
fail=0
compare() {  # db_a pattern_a db_b pattern_b label [sed script applied to b]
  dump "$1" "$2" > "$BUILD/a.sql"; dump "$3" "$4" | sed -e "${6:-}" > "$BUILD/b.sql"
  if diff -u "$BUILD/a.sql" "$BUILD/b.sql" > "$BUILD/$5.diff"; then echo "PASS $5 (pg_dump identical)";
  else echo "FAIL $5: see $BUILD/$5.diff"; fail=1; fi
}
clone() { "$BUILD/catalog_check" clone "$@" > "$BUILD/last.log" || { cat "$BUILD/last.log"; exit 1; }; }

W='"Ünïcode Schema"."Weird ""Name"""'
# 1. same names, other database
for t in 'Weird "Name"' logbook plain; do clone "$SRC" "$TGT" "$S" "$t"; done
compare src "$W" tgt "$W" weird
compare src "\"$S\".logbook" tgt "\"$S\".logbook" logbook
compare src "\"$S\".plain" tgt "\"$S\".plain" plain
$PSQL -d tgt -Atc "SELECT count(*), sum(qty), max(id) FROM $W" | grep -qx '2|3.50|105' && echo "PASS weird data" || { echo "FAIL weird data"; fail=1; }

# 2. different name next to the original (same schema): names adapted. Then
#    the same clone into a fresh database is renamed back with the reverse of
#    adapt_name(), and its dump must equal the original's.
clone "$SRC" "$SRC" "$S" 'Weird "Name"' "$S" 'Clone Ünï'
$PSQL -d src -Atc "SELECT string_agg(relname, ' | ' ORDER BY relname) FROM pg_class WHERE relname LIKE 'Clone Ünï%'"
$PSQL -d src -Atc "SELECT pg_catalog.nextval('\"$S\".\"Clone Ünï_serial_col_seq\"')" | grep -qx 4 && echo "PASS renamed sequence position" || { echo "FAIL renamed sequence position"; fail=1; }
$PSQL -d postgres -c "DROP DATABASE IF EXISTS tgt2" -c "CREATE DATABASE tgt2"; $PSQL -d tgt2 -f "$HERE/prereq.sql"
clone "$SRC" "host=$HOST port=$PORT user=postgres dbname=tgt2" "$S" 'Weird "Name"' "$S" 'Clone Ünï'
NAMES=$($PSQL -d src -Atc "SELECT array_agg(n) FROM (SELECT conname n FROM pg_constraint WHERE conrelid = '$W'::regclass
  UNION SELECT relname FROM pg_class WHERE relnamespace = '\"$S\"'::regnamespace AND relkind IN ('i', 'S')) x")
$PSQL -d tgt2 -v schema="$S" -v clone='Clone Ünï' -v source='Weird "Name"' -v names="$NAMES" -f "$HERE/rename_back.sql" >/dev/null
compare src "$W" tgt2 "$W" renamed_and_back

# 3. generated names that are taken get a numeric suffix
$PSQL -d src -c "CREATE TABLE \"$S\".plain3_pkey (x int); CREATE SEQUENCE \"$S\".plain3_c_idx"
clone "$SRC" "$SRC" "$S" plain "$S" plain3
$PSQL -d src -Atc "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'plain3%'" \
  | grep -qx 'plain3,plain3_b_c_idx,plain3_c_idx,plain3_c_idx1,plain3_pkey,plain3_pkey1' && echo "PASS collision suffixes" \
  || { echo "FAIL collision suffixes"; fail=1; }

# 4. columns subset: plain_b_c_idx needs c, plain_c_idx needs b (predicate)
clone "$SRC" "$TGT" "$S" plain "$S" plain_ab a,b,end
cat "$BUILD/last.log" | grep NOTICE

# 5. rename aside on the target, then clone again under the original name
"$BUILD/catalog_check" aside "$TGT" "$S" 'Weird "Name"'
clone "$SRC" "$TGT" "$S" 'Weird "Name"'
compare src "$W" tgt "$W" weird_after_aside
$PSQL -d tgt -Atc "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'Weird \"Name\"_old%'"
# 6. a 62-byte target name: every adapted name is truncated on a character
#    boundary and the resulting collisions get suffixes (the statements that
#    refer back to those names would fail if we disagreed with the server).
LONG=$(printf 'Ω%.0s' $(seq 31))
clone "$SRC" "$SRC" "$S" 'Weird "Name"' "$S" "$LONG"
$PSQL -d src -Atc "SELECT count(*), max(octet_length(relname)) FROM pg_class WHERE starts_with(relname, '${LONG:1}')" \
  | grep -qx '19|63' && echo "PASS long names" || { echo "FAIL long names"; fail=1; }
exit $fail
