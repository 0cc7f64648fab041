# shellcheck shell=bash
# bench/lib/many_tables.sh: the many-small-objects data set (issue 15),
# BENCH_DATASET=many. Schema bench of database bench holds BENCH_MANY_TABLES
# tables t00001, t00002, ... of BENCH_MANY_ROWS rows each: an integer primary
# key, an indexed integer and a text column (md5, 32 characters). With
# BENCH_MANY_OBJECTS=rich every table also has a sequence (s00001, used as
# its v column's default), a view (v00001) and a SQL function (f00001) over
# it. Where the time goes is statements per object, not bytes: 40,000 rows
# for 2,000 tables, though their files (heap, free-space and visibility
# maps, two indexes each) add up to about 150 MiB.

bench_many_description() {
  echo "$BENCH_MANY_TABLES tables of $BENCH_MANY_ROWS rows ($BENCH_MANY_OBJECTS: primary key, one secondary index$(
    [ "$BENCH_MANY_OBJECTS" = rich ] && echo ", a sequence, a view and a function each"))"
}

bench_many_dataset_create() {
  local t0
  t0=$(pgc_now)
  bench_log "generating the data set: $(bench_many_description)"
  bench_psql source postgres -c "CREATE DATABASE $BENCH_SRC_DB"
  bench_psql source "$BENCH_SRC_DB" -c "CREATE SCHEMA $BENCH_SCHEMA"
  # One query string per table, run by \gexec: a transaction per table (one
  # transaction for all would need a lock slot per object).
  bench_psql source "$BENCH_SRC_DB" -v n="$BENCH_MANY_TABLES" -v rows="$BENCH_MANY_ROWS" \
    -v rich="$([ "$BENCH_MANY_OBJECTS" = rich ] && echo true || echo false)" >/dev/null <<'SQL' || bench_die "generating the many-tables data set failed"
SELECT format($$
  %1$s
  CREATE TABLE bench.t%2$s (id integer PRIMARY KEY, k integer NOT NULL, v text%3$s);
  CREATE INDEX t%2$s_k_idx ON bench.t%2$s (k);
  INSERT INTO bench.t%2$s (id, k, v) SELECT g, g %% 7, md5(%4$s || ':' || g) FROM generate_series(1, %5$s) g;
  %6$s$$,
  CASE WHEN :rich THEN format('CREATE SEQUENCE bench.s%s;', lpad(i::text, 5, '0')) ELSE '' END,
  lpad(i::text, 5, '0'),
  CASE WHEN :rich THEN format(', n bigint NOT NULL DEFAULT nextval(''bench.s%s'')', lpad(i::text, 5, '0')) ELSE '' END,
  i, :rows,
  CASE WHEN :rich THEN format(
    'CREATE VIEW bench.v%1$s AS SELECT id, v FROM bench.t%1$s WHERE k = 1;'
    ' CREATE FUNCTION bench.f%1$s(p integer) RETURNS bigint LANGUAGE sql STABLE'
    ' AS ''SELECT count(*) FROM bench.t%1$s WHERE k = p'';', lpad(i::text, 5, '0')) ELSE '' END)
FROM generate_series(1, :n) AS i
\gexec
SQL
  local made
  made=$(bench_psql source "$BENCH_SRC_DB" -c "SELECT count(*) FROM pg_class WHERE relkind = 'r'
                                                AND relnamespace = '$BENCH_SCHEMA'::regnamespace")
  [ "$made" = "$BENCH_MANY_TABLES" ] || bench_die "the data set has $made tables, not $BENCH_MANY_TABLES"
  bench_psql source "$BENCH_SRC_DB" -c "VACUUM ANALYZE" -c "CHECKPOINT"
  bench_log "data set ready in $(pgc_elapsed "$t0") s"
}
