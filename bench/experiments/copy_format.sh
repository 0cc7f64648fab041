#!/usr/bin/env bash
# Binary or text COPY? For each table of the benchmark's schema, times the
# source's COPY TO (a file) and the target's COPY FROM that file into a table
# created in the same transaction (FREEZE), in both formats, alternately.
# The sum of the two is the server CPU a relayed COPY costs (the agent only
# moves bytes).
#
#   BENCH_CONTENDERS=pgclone BENCH_REPEAT=1 PGCLONE_TEST_KEEP=1 bench/run.sh
#   bench/experiments/copy_format.sh /tmp/pgclone-test.XXXXXX/env.sh [ROUNDS]
set -euo pipefail
env_file=${1:?usage: copy_format.sh ENV_FILE [ROUNDS]}
rounds=${2:-2}
DB=copy_format
source "$(dirname "$0")/lib.sh"
DIR="$PGC_TMPDIR/copy_format"
mkdir -p "$DIR" && chown postgres "$DIR"
"${PT[@]}" -c "CREATE SCHEMA bench"

ms() {   # ms PSQL_ARRAY_NAME SQL... -> milliseconds of the last statement
  local -n cmd=$1; shift
  local args=(-c "\\timing on") s
  for s in "$@"; do args+=(-c "$s"); done
  "${cmd[@]}" "${args[@]}" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}

ddl_of() {   # the table's CREATE TABLE (and its sequences), as pg_dump writes it
  "$PGC_PG_BINDIR/pg_dump" -h "$PGC_SOURCE_SOCK" -p "$PGC_SOURCE_PORT" -U postgres -d bench -s \
    --section=pre-data -t "bench.$1" | grep -v -E '^(SET |SELECT pg_catalog|--|\\)'
}

printf '%-18s %-6s %10s %10s %10s %10s\n' table format "out ms" "in ms" "sum ms" "file MB"
for table in pgbench_accounts events; do
  for _ in $(seq 1 "$rounds"); do
    for format in binary text; do
      file="$DIR/$table.$format"
      out=$(ms PS "COPY bench.$table TO '$file' (FORMAT $format)")
      # One session: the table is created in the COPY's transaction, which
      # the session's end rolls back.
      in=$(ms PT "BEGIN" "$(ddl_of "$table")" "COPY bench.$table FROM '$file' (FORMAT $format, FREEZE)")
      printf '%-18s %-6s %10.0f %10.0f %10.0f %10.0f\n' "$table" "$format" "$out" "$in" \
        "$(awk -v a="$out" -v b="$in" 'BEGIN { print a + b }')" "$(( $(stat -c %s "$file") / 1048576 ))"
      rm -f "$file"
    done
  done
done
pgc_psql target -d postgres -c "DROP DATABASE $DB" >/dev/null
