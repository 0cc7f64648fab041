# shellcheck shell=bash
# bench/lib/sample.sh: a 1 % sample of the data set as a contender,
# "pgclone_sample" — pgclone.schema_sample(src, 'bench', {"percent": P,
# "parallel": N, "method": M}): each table's starting rows are a P % of it
# (M = BENCH_SAMPLE_METHOD: bernoulli, row by row, or system, whole pages), and
# every row they reference (events -> accounts -> branches, tellers ->
# branches, history -> accounts/tellers/branches) comes along. Issue 14 asks
# that it take a small fraction of the full clone's time; bench/sample.sh
# runs both alternately and reports the ratio.
#
# Its clone holds a part of the source, so it is checked its own way
# (contender_verify_pgclone_sample): every foreign key of the clone holds
# (dropped and added again in a rolled-back transaction, which checks every
# row), and every table of 10,000 rows or more on the source has rows and no
# more than BENCH_SAMPLE_MAX_SHARE of the source's.

: "${BENCH_SAMPLE_PERCENT:=1}"
: "${BENCH_SAMPLE_MAX_SHARE:=0.05}"   # referenced rows come on top of the P %
: "${BENCH_SAMPLE_METHOD:=bernoulli}"

contender_version_pgclone_sample() {
  echo "pgclone_sample: pgclone.schema_sample() of $BENCH_SAMPLE_PERCENT % ($BENCH_SAMPLE_METHOD)"
}

contender_prepare_pgclone_sample() { contender_prepare_pgclone "$@"; }

contender_run_pgclone_sample() {
  local db=$1 log=$2 sql
  sql="SELECT pgclone.schema_sample('$(bench_conninfo source "$BENCH_SRC_DB")', '$BENCH_SCHEMA', '{\"percent\": $BENCH_SAMPLE_PERCENT, \"parallel\": $BENCH_JOBS, \"method\": \"$BENCH_SAMPLE_METHOD\"}')"
  echo "$sql" >"$log"
  bench_psql target "$db" -v VERBOSITY=verbose \
    -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" -c "$sql" >>"$log" 2>&1 || return 1
  grep -q '^OK' "$log"
}

# "table rows" for every table of the schema, one per line.
bench_sample_counts() {   # CLUSTER DB
  bench_psql "$1" "$2" -F' ' -c "SELECT format('SELECT %L, count(*) FROM %I.%I;', c.relname, n.nspname, c.relname)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = '$BENCH_SCHEMA' AND c.relkind = 'r' ORDER BY 1" |
    bench_psql "$1" "$2" -F' ' -f -
}

contender_verify_pgclone_sample() {
  local db=$1 diff_file=$2 fks
  fks=$(bench_psql target "$db" -v ON_ERROR_STOP=1 -f "$BENCH_DIR/../tests/harness/check_foreign_keys.sql" 2>&1 |
    grep '^checked')
  if ! [[ "$fks" =~ ^checked\ [1-9][0-9]*$ ]]; then
    echo "the sample's foreign keys do not all hold (${fks:-an ADD CONSTRAINT failed})" | tee "$diff_file"
    return
  fi
  bench_sample_counts source "$BENCH_SRC_DB" >"$PGC_TMPDIR/sample.source" 2>&1
  bench_sample_counts target "$db" >"$PGC_TMPDIR/sample.target" 2>&1
  if grep -q ERROR "$PGC_TMPDIR/sample.source" "$PGC_TMPDIR/sample.target" || [ ! -s "$PGC_TMPDIR/sample.source" ]; then
    echo "could not count the rows: $(grep -h ERROR "$PGC_TMPDIR/sample.source" "$PGC_TMPDIR/sample.target" | head -n 1)" |
      tee "$diff_file"
    return
  fi
  awk -v max="$BENCH_SAMPLE_MAX_SHARE" '
    NR == FNR { src[$1] = $2; next }
    { seen[$1] = 1
      # Small tables (branches, tellers) come along whole through references.
      if ($2 > src[$1]) print $1 ": " $2 " rows, more than the source has (" src[$1] ")"
      else if (src[$1] >= 10000 && $2 == 0) print $1 ": no rows in the sample"
      else if (src[$1] >= 10000 && $2 > src[$1] * max) print $1 ": " $2 " of " src[$1] " rows, more than the share allowed" }
    END { for (t in src) if (!(t in seen)) print t ": missing on the target" }' \
    "$PGC_TMPDIR/sample.source" "$PGC_TMPDIR/sample.target" >"$diff_file"
  if [ -s "$diff_file" ]; then
    printf '%s difference(s), e.g. %s' "$(wc -l <"$diff_file")" "$(head -n 2 "$diff_file" | paste -sd ';')"
  fi
}
