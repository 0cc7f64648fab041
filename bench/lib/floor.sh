# shellcheck shell=bash
# bench/lib/floor.sh: the floor — what the target server itself needs to take
# the same data: server-side binary COPY from local files into tables created in
# the same transaction (COPY ... FREEZE; with wal_level minimal no WAL for the
# data), the table's indexes built in that transaction too, tables spread over
# BENCH_JOBS sessions (biggest first, each to the least loaded session); then
# foreign keys and sequence positions in one transaction. No network, no
# catalog reading, no ANALYZE.
#
# bench_floor_prepare (once, untimed) writes under $PGC_TMPDIR/floor:
#   T.bin       COPY bench.T TO ... (FORMAT binary), by the source server
#   T.pre.sql   pg_dump --section=pre-data -t bench.T (table, owned sequence, CHECKs)
#   T.post.sql  its primary key / unique constraints and other indexes
#   final.sql   foreign keys, setval() of the sequences
#   session<N>.sql, setup.sql

BENCH_FLOOR_DIR=""

bench_floor_prepare() {
  local dir="$PGC_TMPDIR/floor" t bytes i best n
  local -a load=() scripts=()
  BENCH_FLOOR_DIR=$dir
  bench_pgdir "$dir"
  bench_log "floor: exporting the tables to binary files, splitting the DDL"
  n=$BENCH_JOBS
  for ((i = 1; i <= n; i++)); do
    load[i]=0
    scripts[i]="\\set ON_ERROR_STOP 1"$'\n'
  done
  while read -r t bytes; do
    bench_psql source "$BENCH_SRC_DB" -c "COPY $BENCH_SCHEMA.\"$t\" TO '$dir/$t.bin' (FORMAT binary)"
    "$PGC_PG_BINDIR/pg_dump" --schema-only --section=pre-data -t "$BENCH_SCHEMA.$t" \
      -d "$(bench_conninfo source "$BENCH_SRC_DB")" -f "$dir/$t.pre.sql"
    bench_psql source "$BENCH_SRC_DB" -c "SET search_path = ''" -c "
      SELECT format('ALTER TABLE ONLY %s ADD CONSTRAINT %I %s;', conrelid::regclass, conname,
                    pg_get_constraintdef(oid))
      FROM pg_constraint WHERE conrelid = '$BENCH_SCHEMA.\"$t\"'::regclass AND contype IN ('p', 'u', 'x')
      UNION ALL
      SELECT pg_get_indexdef(i.indexrelid) || ';' FROM pg_index i
      WHERE i.indrelid = '$BENCH_SCHEMA.\"$t\"'::regclass
        AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                                      AND c.contype IN ('p', 'u', 'x'))" >"$dir/$t.post.sql"
    best=1
    for ((i = 2; i <= n; i++)); do
      [ "${load[i]}" -lt "${load[best]}" ] && best=$i
    done
    load[best]=$((load[best] + bytes))
    scripts[best]+="BEGIN;
\\i $dir/$t.pre.sql
COPY $BENCH_SCHEMA.\"$t\" FROM '$dir/$t.bin' (FORMAT binary, FREEZE);
\\i $dir/$t.post.sql
COMMIT;
"
  done < <(bench_tables_by_size)
  for ((i = 1; i <= n; i++)); do
    printf '%s' "${scripts[i]}" >"$dir/session$i.sql"
  done
  echo "CREATE SCHEMA $BENCH_SCHEMA;" >"$dir/setup.sql"
  {
    echo "BEGIN;"
    bench_psql source "$BENCH_SRC_DB" -c "SET search_path = ''" -c "
      SELECT format('ALTER TABLE ONLY %s ADD CONSTRAINT %I %s;', c.conrelid::regclass, c.conname,
                    pg_get_constraintdef(c.oid))
      FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
      WHERE r.relnamespace = '$BENCH_SCHEMA'::regnamespace AND c.contype = 'f'
      ORDER BY 1"
    bench_psql source "$BENCH_SRC_DB" -c "
      SELECT format('SELECT pg_catalog.setval(%L, %s, %s);', quote_ident(schemaname) || '.' || quote_ident(sequencename),
                    coalesce(last_value, start_value), CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END)
      FROM pg_sequences WHERE schemaname = '$BENCH_SCHEMA' ORDER BY 1"
    echo "COMMIT;"
  } >"$dir/final.sql"
  chown -R postgres:postgres "$dir"
}

contender_version_floor() {
  echo "floor: server-side COPY FROM binary files + index builds, $BENCH_JOBS sessions"
}

contender_run_floor() {
  local db=$1 log=$2 i rc=0
  local -a pids=()
  : >"$log"
  bench_psql target "$db" -f "$BENCH_FLOOR_DIR/setup.sql" >>"$log" 2>&1 || return 1
  for ((i = 1; i <= BENCH_JOBS; i++)); do
    bench_psql target "$db" -f "$BENCH_FLOOR_DIR/session$i.sql" >"$log.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || rc=1; done
  for ((i = 1; i <= BENCH_JOBS; i++)); do cat "$log.$i" >>"$log"; rm -f "$log.$i"; done
  [ "$rc" = 0 ] || return 1
  bench_psql target "$db" -f "$BENCH_FLOOR_DIR/final.sql" >>"$log" 2>&1
}
