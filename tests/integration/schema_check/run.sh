#!/usr/bin/env bash
# Fidelity check of the schema planner against a real PostgreSQL 15 cluster.
#   run.sh <socket dir> <port>   use a running cluster (trust auth, superuser postgres)
#   run.sh                       start a throwaway cluster (as root: initdb runs as the
#                                postgres OS user) on port ${PGCLONE_CHECK_PORT:-56309}
#  1. builds schema_check (driver: plans with plan_clone and executes serially)
#  2. loads rich_schema.sql into database schema_src
#  3. clones the whole database into schema_tgt; for every user schema,
#     pg_dump --schema-only --no-owner --no-privileges -n <schema> of source
#     and clone must be identical (comment, SET and \restrict lines aside);
#     row checksums, sequence positions and matview contents must match; the
#     audit table that the fixture's triggers write to must be empty
#  4. clones again with every toggle off (indexes, constraints, triggers,
#     matviews, data) into schema_bare: it must run, and leave those out
#  5. clones the functions of one schema only (pgclone.functions) into schema_fn
#  6. clones a subset (tables/exclude_tables regexes) into schema_sub and
#     checks that exactly the expected tables arrived, with their rows
# Builds into $BUILD (default /tmp/schema_check_build).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../../.." && pwd)
BUILD=${BUILD:-/tmp/schema_check_build}; mkdir -p "$BUILD"
BIN=/usr/lib/postgresql/15/bin
if [ $# -ge 2 ]; then
  HOST=$1; PORT=$2
else
  HOST=$(mktemp -d /tmp/schema_check_pg.XXXXXX); PORT=${PGCLONE_CHECK_PORT:-56309}
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$HOST"
  as_pg "$BIN/initdb" -D "$HOST/db" -A trust -U postgres > "$HOST/initdb.log"
  as_pg "$BIN/pg_ctl" -D "$HOST/db" -l "$HOST/log" -w -o "-p $PORT -k $HOST -c listen_addresses=''" start > /dev/null
  trap 'as_pg "$BIN/pg_ctl" -D "$HOST/db" -m fast stop > /dev/null; rm -rf "$HOST"' EXIT
fi
PSQL="$BIN/psql -X -q -v ON_ERROR_STOP=1 -h $HOST -p $PORT -U postgres"
DUMP="$BIN/pg_dump -h $HOST -p $PORT -U postgres --schema-only --no-owner --no-privileges"
conn() { echo "host=$HOST port=$PORT user=postgres dbname=$1"; }

S=$ROOT/agent/src
g++ -std=c++17 -O1 -Wall -Wextra -I/usr/include/postgresql -I"$S" "$HERE/schema_check.cpp" \
  "$S"/pg/*.cpp "$S"/catalog/*.cpp "$S"/ddl/*.cpp "$S"/plan/*.cpp "$S"/copy/*.cpp -lpq -o "$BUILD/schema_check"

$PSQL -d postgres -f "$HERE/prereq.sql"
for db in schema_src schema_tgt schema_sub schema_fn schema_bare; do $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"; done
$PSQL -d schema_src -f "$HERE/rich_schema.sql" >/dev/null

fail=0
pass() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fail=1; }

# ---------------------------------------------------------------- whole database
start=$(date +%s%N)
"$BUILD/schema_check" "$(conn schema_src)" "$(conn schema_tgt)" > "$BUILD/clone.log" 2>&1 || { cat "$BUILD/clone.log"; exit 1; }
echo "clone took $(( ($(date +%s%N) - start) / 1000000 )) ms: $(tail -1 "$BUILD/clone.log")"

# Lines that differ between two dumps of identical schemas: comments, SETs, and
# the per-run \restrict key.
dump() { $DUMP -d "$1" -n "$2" | grep -v -e '^--' -e '^SET ' -e '^\\restrict ' -e '^\\unrestrict '; }
mapfile -t SCHEMAS < <($PSQL -d schema_src -Atc "SELECT quote_ident(nspname) FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname !~ '^pg_(toast_)?temp_' ORDER BY 1")
for s in "${SCHEMAS[@]}"; do
  f=$(echo "$s" | tr -c 'A-Za-z0-9_\n' '_')
  dump schema_src "$s" > "$BUILD/src_$f.sql"; dump schema_tgt "$s" > "$BUILD/tgt_$f.sql"
  if diff -u "$BUILD/src_$f.sql" "$BUILD/tgt_$f.sql" > "$BUILD/$f.diff"; then
    pass "pg_dump -n $s identical ($(grep -c . "$BUILD/src_$f.sql") lines)"
  else bad "pg_dump -n $s differs: $BUILD/$f.diff ($(grep -c '^[-+][^-+]' "$BUILD/$f.diff") lines)"; fi
done

$PSQL -d schema_src -At -F'|' -f "$HERE/checks.sql" > "$BUILD/src_checks.txt"
$PSQL -d schema_tgt -At -F'|' -f "$HERE/checks.sql" > "$BUILD/tgt_checks.txt"
rows=$(awk -F'|' 'NF == 3 && length($3) == 32 {n += $2} END {print n}' "$BUILD/src_checks.txt")
if diff -u "$BUILD/src_checks.txt" "$BUILD/tgt_checks.txt" > "$BUILD/checks.diff"; then
  pass "row checksums, sequence positions, matview counts ($(wc -l < "$BUILD/src_checks.txt") checks, $rows rows)"
else bad "data differs: $BUILD/checks.diff"; fi
[ "$($PSQL -d schema_tgt -Atc 'SELECT count(*) FROM sales.audit_log')" = 0 ] && pass "audit log empty: nothing fired" \
  || bad "audit log not empty on the clone"

# ---------------------------------------------------------------- subset
"$BUILD/schema_check" "$(conn schema_src)" "$(conn schema_sub)" --include 'sales\.(customers|orders)' \
  --include 'kv' --exclude '.*_2023' > "$BUILD/subset.log" 2>&1 || { cat "$BUILD/subset.log"; exit 1; }
grep NOTICE "$BUILD/subset.log" | sed 's/^/  /' || true
got=$($PSQL -d schema_sub -Atc "SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY c.oid::regclass::text) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")
want='pg_like_user.kv sales.customers sales.orders sales.orders_2024 sales.orders_2024_h1 sales.orders_2024_rest sales.orders_default'
[ "$got" = "$want" ] && pass "subset: exactly the selected tables and partitions" || bad "subset tables: $got"
SUBSET='^(pg_like_user\.kv|sales\.(customers|orders_2024_h1|orders_2024_rest|orders_default|customers_id_seq|invoice_no))\|'
$PSQL -d schema_sub -At -F'|' -f "$HERE/checks.sql" | grep -E "$SUBSET" > "$BUILD/sub_checks.txt"
if grep -E "$SUBSET" "$BUILD/src_checks.txt" | diff - "$BUILD/sub_checks.txt" > "$BUILD/subset.diff"; then
  pass "subset: rows and sequences identical ($(wc -l < "$BUILD/sub_checks.txt") checks)"
else bad "subset data differs: $BUILD/subset.diff"; fi
# ---------------------------------------------------------------- toggles off
"$BUILD/schema_check" "$(conn schema_src)" "$(conn schema_bare)" --no-indexes --no-constraints --no-triggers \
  --no-matviews --no-data > "$BUILD/bare.log" 2>&1 || { cat "$BUILD/bare.log"; exit 1; }
got=$($PSQL -d schema_bare -Atc "SELECT (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'pg_toast')) || ' indexes, ' ||
  (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) || ' triggers, ' ||
  (SELECT count(*) FROM pg_constraint WHERE contype <> 'c' AND conrelid >= 16384) || ' keys, ' ||
  (SELECT count(*) FROM pg_class WHERE relkind = 'm') || ' matviews, ' ||
  (SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'sales'::regnamespace) || ' tables, ' ||
  (SELECT count(*) FROM sales.customers) || ' rows'")
[ "$got" = '0 indexes, 0 triggers, 0 keys, 0 matviews, 17 tables, 0 rows' ] && pass "toggles off: $got" || bad "toggles off: $got"

# ---------------------------------------------------------------- functions only
"$BUILD/schema_check" "$(conn schema_src)" "$(conn schema_fn)" --schema 'Ünïcode Schema' --functions-only \
  > "$BUILD/functions.log" 2>&1 || { cat "$BUILD/functions.log"; exit 1; }
got=$($PSQL -d schema_fn -Atc "SELECT (SELECT string_agg(p.oid::regprocedure::text, ',') FROM pg_proc p
  WHERE p.pronamespace = '\"Ünïcode Schema\"'::regnamespace) || ' / ' || (SELECT count(*) FROM pg_class c
  WHERE c.relnamespace = '\"Ünïcode Schema\"'::regnamespace) || ' relations'")
[ "$got" = '"Ünïcode Schema"."Ünï func"(integer) / 0 relations' ] && pass "functions only: $got" || bad "functions only: $got"
exit $fail
