#!/usr/bin/env bash
# bench/many_tables.sh: many small objects (issue 15). See --help.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: bench/many_tables.sh [--help]

bench/run.sh on a schema of many small tables instead of the big data set:
BENCH_MANY_TABLES (2000) tables of BENCH_MANY_ROWS (20) rows, each with a
primary key and one secondary index; BENCH_MANY_OBJECTS=rich adds a sequence
(the default of a column), a view and a SQL function per table. The same
contenders alternate on the same clusters (pgclone, pg_dump -Fd -Z0 -j +
pg_restore -j, pgcopydb clone; the floor does not apply), every result is
checked against the source, and the report gives pgclone's time as a ratio of
pg_dump/pg_restore's, which issue 15 asks to bring to 0.5 or below.

Knobs: those of bench/run.sh (--help there); here BENCH_TARGETS defaults to
minimal, BENCH_WARMUP to 1
(one untimed run, so that no timed run is the only one without a dropped
database before it), BENCH_CONTENDERS to
"pgclone pg_dump pgcopydb" (pgcopydb takes about 20 times pgclone's time on
2,000 tables), BENCH_MARKDOWN to bench/results/many_tables.md (or
many_tables_rich.md), and BENCH_MAX_LOCKS_PER_TRANSACTION to enough lock slots
for a snapshot that locks every table (64, or tables / 40 above 2,560).
USAGE
    exit 0 ;;
  "") ;;
  *) "$0" --help >&2; exit 2 ;;
esac

export BENCH_DATASET=many
# One target configuration (bench/run.sh measures replica and minimal): the
# figures this comparison was made with.
export BENCH_TARGETS="${BENCH_TARGETS:-minimal}"
# One untimed run first, so that every timed one follows a dropped database
# (bench/run.sh --help, BENCH_WARMUP).
export BENCH_WARMUP="${BENCH_WARMUP:-1}"
: "${BENCH_MANY_TABLES:=2000}"
: "${BENCH_MANY_OBJECTS:=plain}"
export BENCH_MANY_TABLES BENCH_MANY_OBJECTS
export BENCH_CONTENDERS="${BENCH_CONTENDERS:-pgclone pg_dump pgcopydb}"
suffix=""
[ "$BENCH_MANY_OBJECTS" = rich ] && suffix=_rich
export BENCH_MARKDOWN="${BENCH_MARKDOWN-$BENCH_DIR/results/many_tables$suffix.md}"
locks=64
[ "$BENCH_MANY_TABLES" -gt 2560 ] 2>/dev/null && locks=$((BENCH_MANY_TABLES / 40))
export BENCH_MAX_LOCKS_PER_TRANSACTION="${BENCH_MAX_LOCKS_PER_TRANSACTION:-$locks}"
export BENCH_COMMAND=bench/many_tables.sh
exec "$BENCH_DIR/run.sh"
