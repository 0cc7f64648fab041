# shellcheck shell=bash
# bench/lib/verify.sh: is a clone equal to the source?
#
# A fingerprint of schema bench is one "key<TAB>value" line per
#   relation  every relation in the schema and its kind
#   column    table, position: name, type, NOT NULL, default
#   rows      table: row count (BENCH_VERIFY=content: and the sum of a 64-bit hash
#             of every row's text form, i.e. the content regardless of order)
#   index     name: table, pg_get_indexdef
#   constraint table.name: type, pg_get_constraintdef, validated
#   sequence  name: type, start, min, max, increment, cycle, cache, last_value
# A clone verifies when its fingerprint equals the source's.

bench_fingerprint() {   # bench_fingerprint CLUSTER DB
  local rows_expr="count(*) AS r, 0 AS h"
  [ "$BENCH_VERIFY" = content ] && rows_expr="count(*) AS r, coalesce(sum(hashtextextended(_r_::text, 0)), 0) AS h"
  bench_psql "$1" "$2" -c "SET search_path = ''" -c "
    WITH rel AS (
      SELECT c.oid, c.oid::regclass::text AS name, c.relkind
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = '$BENCH_SCHEMA'),
    tab AS (SELECT * FROM rel WHERE relkind IN ('r', 'p'))
    SELECT 'relation ' || name || E'\t' || relkind::text FROM rel
    UNION ALL
    SELECT format(E'column %s.%s\t%s %s notnull=%s default=%s', t.name, a.attnum, a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
    FROM tab t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    UNION ALL
    SELECT format(E'rows %s\t%s hash=%s', t.name, (xpath('/row/r/text()', x))[1], (xpath('/row/h/text()', x))[1])
    FROM tab t, LATERAL query_to_xml(format('SELECT $rows_expr FROM %s _r_', t.name), false, true, '') AS x
    UNION ALL
    SELECT format(E'index %s\ton %s: %s', i.indexrelid::regclass, i.indrelid::regclass, pg_get_indexdef(i.indexrelid))
    FROM tab t JOIN pg_index i ON i.indrelid = t.oid
    UNION ALL
    SELECT format(E'constraint %s.%s\t%s %s validated=%s', t.name, c.conname, c.contype,
                  pg_get_constraintdef(c.oid), c.convalidated)
    FROM tab t JOIN pg_constraint c ON c.conrelid = t.oid
    UNION ALL
    SELECT format(E'sequence %s.%s\t%s start=%s min=%s max=%s inc=%s cycle=%s cache=%s last_value=%s',
                  schemaname, sequencename, data_type, start_value, min_value, max_value, increment_by,
                  cycle, cache_size, last_value)
    FROM pg_sequences WHERE schemaname = '$BENCH_SCHEMA'" | LC_ALL=C sort
}

BENCH_SOURCE_FP=""

bench_verify_init() {
  local t0
  t0=$(pgc_now)
  BENCH_SOURCE_FP="$PGC_TMPDIR/source.fingerprint"
  bench_fingerprint source "$BENCH_SRC_DB" >"$BENCH_SOURCE_FP" || bench_die "could not fingerprint the source"
  bench_log "source fingerprint ($BENCH_VERIFY): $(grep -c '^index ' "$BENCH_SOURCE_FP") indexes," \
    "$(grep -c '^constraint ' "$BENCH_SOURCE_FP") constraints, $(grep -c '^sequence ' "$BENCH_SOURCE_FP") sequences," \
    "$(grep -c '^rows ' "$BENCH_SOURCE_FP") tables, in $(pgc_elapsed "$t0") s"
}

# bench_verify DB DIFF_FILE -> prints nothing when target DB equals the source,
# else a one-line reason; every difference goes to DIFF_FILE.
bench_verify() {
  local db=$1 diff_file=$2 fp="$PGC_TMPDIR/target.fingerprint"
  if ! bench_fingerprint target "$db" >"$fp" 2>"$diff_file"; then
    echo "could not read the clone: $(head -n 1 "$diff_file")"
    return
  fi
  awk -F'\t' '
    NR == FNR { src[$1] = $2; next }
    { tgt[$1] = $2 }
    END {
      for (k in src) if (!(k in tgt)) d[++n] = k ": missing on the target (source: " src[k] ")"
                     else if (src[k] != tgt[k]) d[++n] = k ": source \"" src[k] "\", target \"" tgt[k] "\""
      for (k in tgt) if (!(k in src)) d[++n] = k ": only on the target (" tgt[k] ")"
      for (i = 1; i <= n; i++) print d[i]
    }' "$BENCH_SOURCE_FP" "$fp" | LC_ALL=C sort >"$diff_file"
  if [ -s "$diff_file" ]; then
    printf '%s difference(s), e.g. %s' "$(wc -l <"$diff_file")" "$(head -n 2 "$diff_file" | paste -sd ';')"
  fi
}
