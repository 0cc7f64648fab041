#!/usr/bin/env bash
# The fidelity oracle of issue 3 for schema clones: clone the rich schemas of
# tests/fixtures/60_schema_rich.sql (shop, "Lager ""Ω"" ü") into fresh target
# databases and compare with the source:
#   * pg_dump --schema-only --no-owner -n <schema> (with privileges): identical
#     once comment lines, SET / set_config lines, blank lines and
#     \restrict / \unrestrict lines are removed;
#   * every table's rows: count + md5(string_agg(t::text, ',' ORDER BY t::text))
#     (FROM ONLY, so partitions and inheritance children count once);
#     every populated materialized view the same way, unpopulated ones stay so;
#   * every sequence at the same (last_value, is_called);
#   * the audit tables the triggers write to are empty: nothing fired;
#   * the extensions the schemas need exist on the target.
# Rounds: default options; the same again with conflict=replace (must give
# the same result as once); a second database with "parallel": 4;
# include_data=false (structure identical, no rows).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup
export PGTZ=UTC

DB1=pgclone_schemafid1
DB2=pgclone_schemafid2
DB3=pgclone_schemafid3
SCHEMAS=('shop' 'Lager "Ω" ü')

fresh_db() {
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  pgc_create_target_db "$1" >/dev/null
  t_ok $? "fresh target database $1 with pgclone"
}

# The data of one schema, one line per table / matview / sequence. The list
# of relations comes from the source; the same queries run on both sides.
data_sql() {   # data_sql SCHEMA -> SQL that prints the checks (run on the source)
  local s
  s=$(pgc_ql "$1")
  cat <<EOF
SELECT format('SELECT %L || ''|'' || count(*) || ''|'' || md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) FROM ONLY %I.%I t;',
              'table ' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $s AND c.relkind = 'r'
UNION ALL
SELECT format('SELECT %L || ''|populated='' || relispopulated FROM pg_class WHERE oid = %L::regclass;',
              'matview ' || c.relname, format('%I.%I', n.nspname, c.relname))
       || CASE WHEN c.relispopulated THEN
            format(' SELECT %L || ''|'' || count(*) || ''|'' || md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) FROM %I.%I t;',
                   'matview ' || c.relname, n.nspname, c.relname) ELSE '' END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $s AND c.relkind = 'm'
UNION ALL
SELECT format('SELECT %L || ''|'' || last_value || ''|'' || is_called FROM %I.%I;',
              'sequence ' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $s AND c.relkind = 'S'
ORDER BY 1
EOF
}

# compare_schema DB SCHEMA LABEL [nodata]
compare_schema() {
  local db=$1 schema=$2 label=$3 nodata=${4:-} src dst d queries s_data d_data lines
  src=$(pgc_schema_dump source "$PGC_SOURCE_DB" "$schema" privileges)
  dst=$(pgc_schema_dump target "$db" "$schema" privileges)
  # (not t_like: grep -q on a long text trips pipefail with SIGPIPE)
  [ "$(grep -c '^CREATE TABLE' <<<"$src")" -gt 5 ]
  t_ok $? "$label: pg_dump of the source schema has its tables" "$(head -3 <<<"$src")"
  d=$(diff <(echo "$src") <(echo "$dst"))
  if [ -z "$d" ]; then
    t_ok 0 "$label: pg_dump --schema-only -n identical ($(echo "$src" | wc -l) lines)"
  else
    mapfile -t lines <<<"$d"
    t_ok 1 "$label: pg_dump --schema-only -n identical" "diff (< source, > clone), $(echo "$d" | grep -c '^[<>]') lines:" "${lines[@]:0:80}"
  fi

  queries=$(pgc_psql source -c "$(data_sql "$schema")")
  s_data=$(pgc_psql source -v ON_ERROR_STOP=0 -f - <<<"$queries" 2>&1)
  d_data=$(pgc_psql target -d "$db" -v ON_ERROR_STOP=0 -f - <<<"$queries" 2>&1)
  local n_tables n_seqs
  n_tables=$(grep -c '^table ' <<<"$s_data")
  n_seqs=$(grep -c '^sequence ' <<<"$s_data")
  if grep -q 'ERROR' <<<"$s_data" || [ "$n_tables" -eq 0 ]; then
    t_ok 1 "$label: the data checks run on the source" "$(head -5 <<<"$s_data")"
  fi
  if [ "$nodata" = nodata ]; then
    local nonempty
    nonempty=$(grep -E '^table ' <<<"$d_data" | awk -F'|' '$2 != 0')
    t_is "$nonempty" "" "$label: include_data=false: every table is empty on the target"
    return
  fi
  d=$(diff <(echo "$s_data") <(echo "$d_data"))
  if [ -z "$d" ]; then
    t_ok 0 "$label: rows of all $n_tables tables, matviews, and all $n_seqs sequence positions identical"
  else
    mapfile -t lines <<<"$d"
    t_ok 1 "$label: rows of all $n_tables tables, matviews and sequence positions identical" "diff (< source, > clone):" "${lines[@]:0:40}"
  fi
}

audit_empty() {   # audit_empty DB LABEL
  t_is "$(pgc_psql target -d "$1" -c 'SELECT count(*) FROM shop.audit_log' 2>&1)" 0 \
    "$2: shop.audit_log is empty on the target: no trigger fired during the load"
  t_is "$(pgc_psql target -d "$1" -c 'SELECT count(*) FROM "Lager ""Ω"" ü"."Protokoll"' 2>&1)" 0 \
    "$2: \"Lager \"\"Ω\"\" ü\".\"Protokoll\" is empty on the target"
}

clone() {   # clone DB SCHEMA INCLUDE_DATA OPTIONS -> prints the result or the error
  pgc_psql target -d "$1" -v VERBOSITY=verbose \
    -c "SELECT pgclone.schema($(pgc_ql "$PGC_SOURCE_CONNINFO"), $(pgc_ql "$2"), $3, $(pgc_ql "$4"))" 2>&1 |
    grep -v -E '^(NOTICE|LOCATION):'
}

# ---------------------------------------------------------------- sanity of the fixture
t_is "$(pgc_psql source -c "SELECT count(*) FROM shop.audit_log")" 0 "the source's audit log is empty"
rows=$(pgc_psql source -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables WHERE schemaname IN ('shop', 'Lager \"Ω\" ü')")
pgc_lt 250000 "$rows"; t_ok $? "the rich schemas hold a few hundred thousand rows ($rows)"

# ---------------------------------------------------------------- round 1: defaults
fresh_db "$DB1"
for s in "${SCHEMAS[@]}"; do
  t0=$(pgc_now)
  res=$(clone "$DB1" "$s" true '{}')
  t_like "$res" '^OK: cloned schema ' "clone $(pgc_qi "$s") (took $(pgc_elapsed "$t0") s): $res"
done
t_is "$(pgc_psql target -d "$DB1" -c "SELECT string_agg(extname || '@' || extnamespace::regnamespace::text, ',' ORDER BY extname)
        FROM pg_extension WHERE extname IN ('citext', 'hstore')")" 'citext@public,hstore@"Lager ""Ω"" ü"' \
  "the extensions the schemas need were created on the target, in the same schemas"
for s in "${SCHEMAS[@]}"; do compare_schema "$DB1" "$s" "$(pgc_qi "$s")"; done
audit_empty "$DB1" "defaults"

# The privileges fixture (tests/fixtures/63_privileges.sql): its GRANTs and
# REVOKEs as pg_dump prints them are the source's.
res=$(clone "$DB1" 'priv' true '{}')
t_like "$res" '^OK: cloned schema priv' "clone priv: $res"
src=$(pgc_schema_dump source "$PGC_SOURCE_DB" priv privileges); dst=$(pgc_schema_dump target "$DB1" priv privileges)
[ "$(grep -c '^\(GRANT\|REVOKE\) ' <<<"$src")" -gt 10 ]
t_ok $? "pg_dump of the source's priv schema has its GRANTs and REVOKEs" "$(grep -E '^(GRANT|REVOKE) ' <<<"$src" | head -3)"
t_is "$(diff <(echo "$src") <(echo "$dst"))" "" "priv: pg_dump --schema-only -n with privileges identical"

# ---------------------------------------------------------------- round 2: again with replace
res=$(clone "$DB1" 'shop' true '{"conflict": "replace"}')
t_like "$res" '^OK: cloned schema ' "clone shop again with conflict=replace: $res"
# hstore, installed inside Lager, moves into the new Lager (ALTER EXTENSION
# ... SET SCHEMA) before the old schema is dropped.
res=$(clone "$DB1" 'Lager "Ω" ü' true '{"conflict": "replace"}')
t_like "$res" '^OK: cloned schema ' "clone Lager again with conflict=replace (hstore, installed in it, moves along): $res"
t_is "$(pgc_psql target -d "$DB1" -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'hstore'")" \
  '"Lager ""Ω"" ü"' "replace: hstore lives in the new Lager"
for s in "${SCHEMAS[@]}"; do compare_schema "$DB1" "$s" "replace $(pgc_qi "$s")"; done
audit_empty "$DB1" "replace"
t_is "$(pgc_psql target -d "$DB1" -c "SELECT coalesce(string_agg(nspname, ',' ORDER BY nspname), '') FROM pg_namespace
        WHERE nspname ~ '^(shop|Lager)' AND nspname NOT IN ('shop', 'Lager \"Ω\" ü')")" '' \
  "replace left no other copy of the schemas behind"

# ---------------------------------------------------------------- round 3: parallel 4
fresh_db "$DB2"
for s in "${SCHEMAS[@]}"; do
  t0=$(pgc_now)
  res=$(clone "$DB2" "$s" true '{"parallel": 4}')
  t_like "$res" '^OK: cloned schema ' "clone $(pgc_qi "$s") with parallel=4 (took $(pgc_elapsed "$t0") s): $res"
done
for s in "${SCHEMAS[@]}"; do compare_schema "$DB2" "$s" "parallel=4 $(pgc_qi "$s")"; done
audit_empty "$DB2" "parallel=4"

# ---------------------------------------------------------------- round 4: structure only
fresh_db "$DB3"
for s in "${SCHEMAS[@]}"; do
  res=$(clone "$DB3" "$s" false '{}')
  t_like "$res" '^OK: cloned schema ' "clone $(pgc_qi "$s") with include_data=false: $res"
  t_unlike "$res" '[0-9]+ rows' "include_data=false: the summary reports no rows"
done
for s in "${SCHEMAS[@]}"; do compare_schema "$DB3" "$s" "no data $(pgc_qi "$s")" nodata; done
# the structure is still the same, except that a WITH NO DATA clone cannot
# tell populated matviews apart (pg_dump --schema-only does not either)
src=$(pgc_schema_dump source "$PGC_SOURCE_DB" shop); dst=$(pgc_schema_dump target "$DB3" shop)
d=$(diff <(echo "$src") <(echo "$dst"))
t_is "$d" "" "include_data=false: pg_dump --schema-only -n shop still identical"

for db in "$DB1" "$DB2" "$DB3"; do
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
done
t_done
