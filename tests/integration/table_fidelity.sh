#!/usr/bin/env bash
# The fidelity oracle: clone awkward tables into a fresh target database and
# compare, table by table,
#   * pg_dump --schema-only -t of source and clone (comment lines, SET lines
#     and OWNER lines stripped),
#   * row checksums md5(string_agg(t::text, ',' ORDER BY t::text)),
#   * identity sequence positions (last_value, is_called).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

DB=pgclone_fidelity
pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
pgc_create_target_db "$DB" >/dev/null
t_ok $? "fresh target database $DB with pgclone"
export PGTZ=UTC

# schema|table as the source spells them
TABLES=(
  'struct|kitchen_sink'
  'struct|by_default'
  'Ünïcode Schema|Weird "Name"'
  'basic|items'
  'opt|people'
  'conf|t'
  'slow|big'
)

table_dump() {   # table_dump source|target DB QUALIFIED -> pg_dump --schema-only -t of one table, owners aside
  local side=$1 db=$2 q=$3 up sock port
  up=$(echo "$side" | tr '[:lower:]' '[:upper:]')
  eval "sock=\$PGC_${up}_SOCK port=\$PGC_${up}_PORT"
  "$PGC_PG_BINDIR/pg_dump" -h "$sock" -p "$port" -U postgres -d "$db" --schema-only -t "$q" |
    grep -v -E '^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )' | grep -v 'OWNER TO' | sed '/^$/d'
}

for entry in "${TABLES[@]}"; do
  schema=${entry%%|*}
  table=${entry#*|}
  q="$(pgc_qi "$schema").$(pgc_qi "$table")"
  res=$(pgc_psql target -d "$DB" -c "SELECT pgclone.table($(pgc_ql "$PGC_SOURCE_CONNINFO"), $(pgc_ql "$schema"), $(pgc_ql "$table"))" 2>&1 |
        grep -v -E '^(NOTICE|LOCATION):')
  t_like "$res" '^OK:' "clone $q: $res"

  src_dump=$(table_dump source "$PGC_SOURCE_DB" "$q")
  dst_dump=$(table_dump target "$DB" "$q")
  t_like "$src_dump" 'CREATE TABLE' "pg_dump of the source $q is not empty"
  d=$(diff <(echo "$src_dump") <(echo "$dst_dump"))
  if [ -z "$d" ]; then t_ok 0 "pg_dump --schema-only of $q: clone identical to source"
  else
    mapfile -t lines <<<"$d"
    t_ok 1 "pg_dump --schema-only of $q: clone identical to source" "diff (< source, > clone):" "${lines[@]:0:60}"
  fi

  sum_sql="SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM $q t"
  s_sum=$(pgc_psql source -c "$sum_sql" 2>&1)
  d_sum=$(pgc_psql target -d "$DB" -c "$sum_sql" 2>&1)
  t_is "$d_sum" "$s_sum" "row count and checksum of $q"

  ql_q=$(pgc_ql "$q")
  seqs=$(pgc_psql source -c "SELECT a.attname || '|' || pg_get_serial_sequence($ql_q, a.attname)
           FROM pg_attribute a WHERE a.attrelid = $ql_q::regclass AND a.attidentity <> '' ORDER BY a.attnum")
  while IFS='|' read -r col seq; do
    [ -n "$seq" ] || continue
    s_pos=$(pgc_psql source -c "SELECT last_value || '/' || is_called FROM $seq" 2>&1)
    d_seq=$(pgc_psql target -d "$DB" -c "SELECT pg_get_serial_sequence($ql_q, $(pgc_ql "$col"))" 2>&1)
    d_pos=$(pgc_psql target -d "$DB" -c "SELECT last_value || '/' || is_called FROM $d_seq" 2>&1)
    t_is "$d_pos" "$s_pos" "identity sequence position of $q.$col"
  done <<<"$seqs"
done

# The trigger log on the target stayed empty: no trigger fired during loads.
t_is "$(pgc_psql target -d "$DB" -c 'SELECT count(*) FROM fx.trigger_log')" 0 "no trigger fired during the loads"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
t_done
