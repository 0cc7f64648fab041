#!/usr/bin/env bash
# The yardstick of issue 12 on a real-world sample schema nobody here wrote:
# pagila (tests/fixtures/pagila/, see its README: source, commit, license) —
# domains, an enum, full-text triggers, views, a materialized view, an
# aggregate, functions, a partitioned table (payment) — loaded into a source
# database of its own, then cloned three ways and compared with the source:
#   * database_create(): pg_dump --schema-only -n public with privileges
#     (comment, SET and blank lines removed, as in every fidelity test)
#     identical; every table's rows (count + md5 of the ordered rows, FROM
#     ONLY) and every sequence position identical;
#   * schema('public') into a database holding nothing but pgclone: the same;
#   * table() of the partitioned table payment into a database where
#     schema() cloned everything else (exclude_tables payment.*, so the
#     tables its foreign keys reference are there): pg_dump -t of the
#     payment tree and its sequence identical, the rows of every partition
#     identical.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup
export PGTZ=UTC

SRC=pgclone_pagila
DB_CREATED=pgclone_pagila_db
DB_SCHEMA=pgclone_pagila_schema
DB_TABLE=pgclone_pagila_table
FIXTURE="$PGC_REPO/tests/fixtures/pagila"

src_conninfo() { echo "host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"; }
call() { pgc_try_target_db "$1" "$2"; }   # call DB SQL -> "OK <result>" or "ERROR <sqlstate> <message>|..."

fresh_target() {   # a database with nothing but pgclone (its public schema empty)
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  pgc_psql target -d postgres -c "CREATE DATABASE $1" \
    -c "ALTER DATABASE $1 SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null &&
    pgc_psql target -d "$1" -c "CREATE EXTENSION pgclone" >/dev/null
}

# One line per table (rows: count and md5 of the ordered rows, FROM ONLY so
# a partitioned table counts once, in its leaves) and per sequence; `where`
# restricts the relations (an SQL condition on c.relname).
data_sql() {   # data_sql [WHERE]
  local where=${1:-true}
  cat <<EOF
SELECT format('SELECT %L || ''|'' || count(*) || ''|'' || md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) FROM ONLY %I.%I t;',
              'table ' || c.relname, n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r' AND $where
UNION ALL
SELECT format('SELECT %L || ''|'' || last_value || ''|'' || is_called FROM %I.%I;', 'sequence ' || c.relname, n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'S' AND $where
ORDER BY 1
EOF
}

compare_data() {   # compare_data DB LABEL [WHERE]
  local queries s_data d_data d lines n
  queries=$(pgc_psql source -d "$SRC" -c "$(data_sql "${3:-}")")
  s_data=$(pgc_psql source -d "$SRC" -v ON_ERROR_STOP=0 -f - <<<"$queries" 2>&1)
  d_data=$(pgc_psql target -d "$1" -v ON_ERROR_STOP=0 -f - <<<"$queries" 2>&1)
  n=$(grep -c '^table ' <<<"$s_data")
  d=$(diff <(echo "$s_data") <(echo "$d_data"))
  if [ -z "$d" ] && [ "$n" -gt 0 ] && ! grep -q ERROR <<<"$s_data"; then
    t_ok 0 "$2: rows of all $n tables and every sequence position identical"
  else
    mapfile -t lines <<<"$d"
    t_ok 1 "$2: rows of all tables and sequence positions identical" "$(head -3 <<<"$s_data")" "${lines[@]:0:30}"
  fi
}

compare_dump() {   # compare_dump DB LABEL
  local src dst d lines
  src=$(pgc_schema_dump source "$SRC" public privileges)
  dst=$(pgc_schema_dump target "$1" public privileges)
  # pagila grants ALL on the public schema to PUBLIC: the reused public
  # schema of the clone must carry that ACL too.
  grep -q -E '^GRANT ALL ON SCHEMA public TO PUBLIC;' <<<"$src"
  t_ok $? "$2: pg_dump of the source grants ALL on schema public to PUBLIC"
  [ "$(grep -c '^CREATE TABLE' <<<"$src")" -ge 15 ]
  t_ok $? "$2: pg_dump of the source has pagila's tables" "$(head -3 <<<"$src")"
  d=$(diff <(echo "$src") <(echo "$dst"))
  if [ -z "$d" ]; then
    t_ok 0 "$2: pg_dump --schema-only -n public (with privileges) identical ($(echo "$src" | wc -l) lines)"
  else
    mapfile -t lines <<<"$d"
    t_ok 1 "$2: pg_dump --schema-only -n public (with privileges) identical" \
      "diff (< source, > clone), $(echo "$d" | grep -c '^[<>]') lines:" "${lines[@]:0:60}"
  fi
}

# pg_dump -t of the payment tree and the sequence its default calls.
payment_dump() {   # payment_dump source|target DB
  local up sock port
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  "$PGC_PG_BINDIR/pg_dump" -h "$sock" -p "$port" -U postgres -d "$2" --schema-only --no-owner \
    -t 'public.payment*' 2>&1 |
    grep -v -E '^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )' | sed '/^[[:space:]]*$/d'
}

# ---------------------------------------------------------------- the source
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" -f "$FIXTURE/pagila-schema.sql" >/dev/null 2>&1 &&
  pgc_psql source -d "$SRC" -f "$FIXTURE/pagila-data.sql" >/dev/null 2>&1
t_ok $? "pagila loaded into the source database $SRC"
t_is "$(pgc_psql source -d "$SRC" -c "SELECT count(*) FROM pg_partition_tree('public.payment') WHERE isleaf")" 7 \
  "the source's payment is partitioned into 7 leaves"
rows=$(pgc_psql source -d "$SRC" -c "SELECT count(*) FROM public.payment")
pgc_lt 10000 "$rows"; t_ok $? "payment holds its rows ($rows)"

# ---------------------------------------------------------------- database_create()
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB_CREATED WITH (FORCE)" >/dev/null 2>&1
res=$(call "$PGC_TARGET_DB" "SELECT pgclone.database_create($(pgc_ql "$(src_conninfo)"), '$DB_CREATED')")
t_like "$res" '^OK OK: cloned database into "?pgclone_pagila_db"?: ' "database_create(): $res"
compare_dump "$DB_CREATED" "database_create()"
compare_data "$DB_CREATED" "database_create()"

# ---------------------------------------------------------------- schema('public')
fresh_target "$DB_SCHEMA"
t_ok $? "fresh target database $DB_SCHEMA (pgclone only)"
res=$(call "$DB_SCHEMA" "SELECT pgclone.schema($(pgc_ql "$(src_conninfo)"), 'public')")
t_like "$res" '^OK OK: cloned schema public: ' "schema('public'): $res"
compare_dump "$DB_SCHEMA" "schema('public')"
compare_data "$DB_SCHEMA" "schema('public')"

# ---------------------------------------------------------------- table() of the partitioned payment
fresh_target "$DB_TABLE"
t_ok $? "fresh target database $DB_TABLE (pgclone only)"
res=$(call "$DB_TABLE" "SELECT pgclone.schema($(pgc_ql "$(src_conninfo)"), 'public', true, '{\"exclude_tables\": [\"payment.*\"]}')")
t_like "$res" '^OK OK: cloned schema public: ' "schema('public') without the payment tree: $res"
t_is "$(pgc_psql target -d "$DB_TABLE" -c "SELECT count(*) FROM pg_class WHERE relname LIKE 'payment%' AND relkind IN ('r', 'p')")" 0 \
  "no payment table yet"
res=$(call "$DB_TABLE" "SELECT pgclone.table($(pgc_ql "$(src_conninfo)"), 'public', 'payment')")
t_like "$res" "^OK OK: cloned partitioned table public.payment with 7 partitions, $rows rows, " "table('payment'): $res"
src=$(payment_dump source "$SRC")
dst=$(payment_dump target "$DB_TABLE")
[ "$(grep -c 'PARTITION OF\|ATTACH PARTITION' <<<"$src")" -ge 7 ]
t_ok $? "pg_dump -t 'public.payment*' of the source shows the partitions" "$(head -5 <<<"$src")"
d=$(diff <(echo "$src") <(echo "$dst"))
if [ -z "$d" ]; then
  t_ok 0 "table('payment'): pg_dump -t 'public.payment*' identical ($(echo "$src" | wc -l) lines)"
else
  mapfile -t lines <<<"$d"
  t_ok 1 "table('payment'): pg_dump -t 'public.payment*' identical" "${lines[@]:0:60}"
fi
compare_data "$DB_TABLE" "table('payment')" "c.relname LIKE 'payment%'"
t_is "$(pgc_psql target -d "$DB_TABLE" -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.payment'::regclass AND contype = 'f'")" \
  "$(pgc_psql source -d "$SRC" -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.payment'::regclass AND contype = 'f'")" \
  "table('payment'): its foreign keys to the tables schema() cloned"

for db in "$DB_CREATED" "$DB_SCHEMA" "$DB_TABLE"; do
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
done
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
t_done
