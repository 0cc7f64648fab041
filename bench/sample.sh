#!/usr/bin/env bash
# bench/sample.sh: a 1 % referentially consistent sample vs the full clone of
# the benchmark data set (issue 14). See --help.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: bench/sample.sh [--help]

bench/run.sh with two contenders, alternating BENCH_REPEAT times on the same
throwaway clusters and data set:

  pgclone         SELECT pgclone.schema(src, 'bench', true, '{"parallel": 2}')
  pgclone_sample  SELECT pgclone.schema_sample(src, 'bench', '{"percent": 1, "parallel": 2, "method": "bernoulli"}')
                  (BENCH_SAMPLE_PERCENT overrides the 1; BENCH_SAMPLE_METHOD=system
                  adds "method": "system", whole pages instead of rows)

The full clone is checked against the source as in bench/run.sh; the sample
by re-adding every foreign key (each must hold), and by row counts (every
table of 10,000 rows or more has rows, none more than BENCH_SAMPLE_MAX_SHARE =
0.05 of the source's; smaller ones no more than the source's).
The report prints each run's time, best and median; issue 14 asks that the
sample take a small fraction of the full clone's time.

Knobs: those of bench/run.sh (--help there); here BENCH_TARGETS defaults to
minimal, BENCH_MARKDOWN to
bench/results/sample.md and BENCH_CONTENDERS to "pgclone pgclone_sample".
USAGE
    exit 0 ;;
  "") ;;
  *) "$0" --help >&2; exit 2 ;;
esac

export BENCH_CONTENDERS="${BENCH_CONTENDERS:-pgclone pgclone_sample}"
# One target configuration (bench/run.sh measures replica and minimal): the
# figures this comparison was made with.
export BENCH_TARGETS="${BENCH_TARGETS:-minimal}"
export BENCH_MARKDOWN="${BENCH_MARKDOWN-$BENCH_DIR/results/sample.md}"
export BENCH_COMMAND=bench/sample.sh
exec "$BENCH_DIR/run.sh"
