# shellcheck shell=bash
# bench/lib/masked.sh: the masked clone as a contender, "pgclone_masked" —
# pgclone.schema() like the pgclone contender, with "masks" on three columns of
# the mixed-type table, evaluated on the source inside COPY (SELECT ...):
#   note    text, NULLs      -> "hash" (keyed HMAC-SHA-256, 32 hex digits)
#   label   text NOT NULL    -> "partial" 2/2 ('event-4711' -> 'ev***11')
#   amount  numeric(14,2) NOT NULL CHECK (amount >= 0) -> "noise" 0.1 (within ±10 %)
# Issue 11 asks that it take at most 1.3x the unmasked clone's time;
# bench/masked.sh runs the two alternately and reports the ratio.
#
# Its clone cannot equal the source, so it is checked its own way
# (contender_verify_pgclone_masked): everything the plain check compares except
# the mixed table's content hash; that table's row count and its unmasked
# columns' content hash equal the source's; and a sample of rows, joined by id,
# shows every masked value changed the way its strategy says.

if [ -z "${BENCH_MASKS:-}" ]; then
  BENCH_MASKS='{"events": {"note": "hash", "label": {"type": "partial", "prefix": 2, "suffix": 2}, "amount": {"type": "noise", "ratio": 0.1}}}'
fi
: "${BENCH_MASK_SAMPLE:=2000}"   # rows of the mixed table compared value by value

# The mixed table's columns no mask touches: their content must survive as is.
BENCH_UNMASKED_EVENTS_COLUMNS="id, aid, kind, qty, big, created_at, done, attrs, ref"

contender_version_pgclone_masked() { echo "pgclone_masked: pgclone.schema() with masks $BENCH_MASKS"; }

contender_prepare_pgclone_masked() { contender_prepare_pgclone "$@"; }

contender_run_pgclone_masked() {
  local db=$1 log=$2 sql
  sql="SELECT pgclone.schema('$(bench_conninfo source "$BENCH_SRC_DB")', '$BENCH_SCHEMA', true, '{\"parallel\": $BENCH_JOBS, \"masks\": $BENCH_MASKS}')"
  echo "$sql" >"$log"
  bench_psql target "$db" -v VERBOSITY=verbose \
    -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" -c "$sql" >>"$log" 2>&1 || return 1
  grep -q '^OK' "$log"
}

# "count hash" of the mixed table's unmasked columns.
bench_masked_unmasked_hash() {   # CLUSTER DB
  bench_psql "$1" "$2" -F' ' -c "SELECT count(*), coalesce(sum(hashtextextended(
      ($BENCH_UNMASKED_EVENTS_COLUMNS)::text, 0)), 0) FROM $BENCH_SCHEMA.events"
}

# "id<TAB>note<TAB>label<TAB>amount" of the first BENCH_MASK_SAMPLE rows; NULL as \N.
bench_masked_sample() {   # CLUSTER DB
  bench_psql "$1" "$2" -F$'\t' -P null='\N' -c "SELECT id, note, label, amount FROM $BENCH_SCHEMA.events
    ORDER BY id LIMIT $BENCH_MASK_SAMPLE"
}

# contender_verify_pgclone_masked DB DIFF_FILE -> nothing when the masked clone is
# right, else a one-line reason (details in DIFF_FILE).
contender_verify_pgclone_masked() {
  local db=$1 diff_file=$2 reason src tgt
  reason=$(bench_verify "$db" "$diff_file")
  if [ -n "$reason" ]; then
    # The mixed table's content hash is the one difference a masked clone has.
    if grep -v "^rows $BENCH_SCHEMA\.events: " "$diff_file" >"$diff_file.other"; then
      echo "$(wc -l <"$diff_file.other") difference(s) besides the masked table, e.g. $(head -n 2 "$diff_file.other" | paste -sd ';')"
      return
    fi
  fi
  src=$(bench_masked_unmasked_hash source "$BENCH_SRC_DB")
  tgt=$(bench_masked_unmasked_hash target "$db")
  if [ "$src" != "$tgt" ]; then
    echo "events: rows and hash of the unmasked columns differ: source \"$src\", target \"$tgt\"" | tee -a "$diff_file"
    return
  fi
  bench_masked_sample source "$BENCH_SRC_DB" >"$PGC_TMPDIR/masked.source"
  bench_masked_sample target "$db" >"$PGC_TMPDIR/masked.target"
  # Row by row: note NULL stays NULL, else 32 hex digits unlike the original;
  # label is its first 2 and last 2 characters around ***; amount moved by at
  # most 10 % (and a cent of rounding), and moved at all in most rows.
  awk -F'\t' '
    NR == FNR { note[$1] = $2; label[$1] = $3; amount[$1] = $4; next }
    {
      n++
      if (!($1 in note)) { bad[++b] = "id " $1 " is not in the source sample"; next }
      if ((note[$1] == "\\N") != ($2 == "\\N")) bad[++b] = "id " $1 ": note NULL-ness changed"
      else if ($2 != "\\N" && (length($2) != 32 || $2 !~ /^[0-9a-f]+$/ || $2 == note[$1]))   # mawk: no {32}
        bad[++b] = "id " $1 ": note not hashed: " $2
      want = substr(label[$1], 1, 2) "***" substr(label[$1], length(label[$1]) - 1)
      if ($3 != want) bad[++b] = "id " $1 ": label " $3 ", expected " want
      lo = amount[$1] * 0.9 - 0.01; hi = amount[$1] * 1.1 + 0.01
      if ($4 + 0 < lo || $4 + 0 > hi) bad[++b] = "id " $1 ": amount " $4 " is not within 10 % of the original"
      if ($4 + 0 != amount[$1] + 0) moved++
    }
    END {
      if (n == 0) bad[++b] = "the sample is empty"
      else if (moved < n / 2) bad[++b] = "amount moved in only " moved " of " n " sampled rows"
      for (i = 1; i <= b; i++) print bad[i]
    }' "$PGC_TMPDIR/masked.source" "$PGC_TMPDIR/masked.target" >"$diff_file.masked"
  if [ -s "$diff_file.masked" ]; then
    cat "$diff_file.masked" >>"$diff_file"
    echo "$(wc -l <"$diff_file.masked") masked value(s) wrong, e.g. $(head -n 2 "$diff_file.masked" | paste -sd ';')"
  fi
}

# The report's line for this contender: masked/unmasked time, medians and best.
contender_report_pgclone_masked() { bench_time_ratio pgclone_masked pgclone "masked clone vs unmasked; issue 11 asks for at most 1.3"; }
