# shellcheck shell=bash
# bench/lib/dataset.sh: the data set in the source cluster, its size, and the
# files the floor loads.
#
# Everything lives in schema "bench" of database "bench"; schema public stays
# empty, so a whole-database copy (pgcopydb) and a schema copy (pgclone,
# pg_dump -n) bring the same objects:
#   pgbench_accounts/_branches/_tellers/_history  pgbench -i -s SCALE --foreign-keys
#   events   SCALE * 20000 rows (1.2M at 60) of mixed types with NULLs: bigserial
#            primary key (owned sequence), a CHECK, two secondary indexes and a
#            foreign key to pgbench_accounts

bench_dataset_create() {
  if [ "$BENCH_DATASET" = many ]; then bench_many_dataset_create; return; fi
  local scale=$BENCH_SCALE rows=$((BENCH_SCALE * BENCH_EVENTS_PER_SCALE)) t0
  t0=$(pgc_now)
  bench_log "generating the data set: pgbench scale $scale + events ($rows rows)"
  bench_psql source postgres -c "CREATE DATABASE $BENCH_SRC_DB"
  bench_psql source "$BENCH_SRC_DB" -c "CREATE SCHEMA $BENCH_SCHEMA"
  # pgbench -i names its tables unqualified: the search_path puts them in bench.
  PGOPTIONS="-c search_path=$BENCH_SCHEMA" "$PGC_PG_BINDIR/pgbench" -i -q -s "$scale" --foreign-keys \
    -h "$PGC_SOURCE_SOCK" -p "$PGC_SOURCE_PORT" -U postgres "$BENCH_SRC_DB" >"$PGC_TMPDIR/pgbench-init.log" 2>&1 ||
    { tail -n 20 "$PGC_TMPDIR/pgbench-init.log" >&2; bench_die "pgbench -i failed"; }
  bench_psql source "$BENCH_SRC_DB" -v rows="$rows" <<'SQL'
SET maintenance_work_mem = '256MB';
CREATE TABLE bench.events (
  id          bigserial PRIMARY KEY,
  aid         integer NOT NULL,
  kind        smallint NOT NULL,
  qty         integer,
  big         bigint NOT NULL,
  amount      numeric(14,2) NOT NULL CHECK (amount >= 0),
  label       text NOT NULL,
  note        text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  done        boolean,
  attrs       jsonb,
  ref         uuid
);
-- Deterministic content, about 200 bytes a row; every nullable column has NULLs.
INSERT INTO bench.events (aid, kind, qty, big, amount, label, note, created_at, done, attrs, ref)
SELECT 1 + (i::bigint * 7919) % (SELECT count(*) FROM bench.pgbench_accounts),
       i % 7,
       CASE WHEN i % 10 = 0 THEN NULL ELSE i % 1000 END,
       i::bigint * 2654435761,
       round(((i::bigint * 31) % 1000000) / 100.0, 2),
       'event-' || (i % 5000),
       CASE WHEN i % 3 = 0 THEN NULL ELSE repeat(md5(i::text), 1 + i % 3) END,
       timestamptz '2024-01-01 00:00+00' + i * interval '17 seconds',
       CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END,
       CASE WHEN i % 4 = 0 THEN NULL
            ELSE jsonb_build_object('i', i, 'tag', 'k' || (i % 13), 'vals', jsonb_build_array(i % 3, i % 5)) END,
       CASE WHEN i % 6 = 0 THEN NULL ELSE md5('u' || i)::uuid END
FROM generate_series(1, :rows) AS i;
CREATE INDEX events_aid_idx ON bench.events (aid);
CREATE INDEX events_created_at_idx ON bench.events (created_at DESC) INCLUDE (kind);
ALTER TABLE bench.events ADD CONSTRAINT events_aid_fkey
  FOREIGN KEY (aid) REFERENCES bench.pgbench_accounts (aid);
VACUUM ANALYZE bench.events;
SQL
  bench_psql source "$BENCH_SRC_DB" -c "CHECKPOINT"
  bench_log "data set ready in $(pgc_elapsed "$t0") s"
}

# Sets BENCH_TABLE_BYTES (heap + TOAST + FSM/VM: sum of pg_table_size) and
# BENCH_TOTAL_BYTES (plus indexes: sum of pg_total_relation_size) of the schema.
bench_dataset_size() {
  local out
  out=$(bench_psql source "$BENCH_SRC_DB" -F' ' -c "
    SELECT sum(pg_table_size(c.oid)), sum(pg_total_relation_size(c.oid)), count(*)
    FROM pg_class c WHERE c.relnamespace = '$BENCH_SCHEMA'::regnamespace AND c.relkind IN ('r', 'p')")
  # shellcheck disable=SC2034  # read by report.sh
  read -r BENCH_TABLE_BYTES BENCH_TOTAL_BYTES BENCH_TABLE_COUNT <<<"$out"
}

# "name bytes" per table of the schema, biggest first.
bench_tables_by_size() {
  bench_psql source "$BENCH_SRC_DB" -F' ' -c "
    SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
    WHERE c.relnamespace = '$BENCH_SCHEMA'::regnamespace AND c.relkind = 'r'
    ORDER BY 2 DESC, 1"
}
