#!/usr/bin/env bash
# The benchmark (README "Performance") keeps working: a small run of
# bench/run.sh with every contender — pgclone, pgcopydb, pg_dump + pg_restore,
# the floor, bench/masked.sh's masked pgclone clone and bench/cluster_overhead.sh's
# clone over two worker agents — on its own throwaway
# clusters and agent. Each contender's clone is checked by the benchmark against
# the source (row counts, content hash, indexes, constraints, sequences; the
# masked one: its masked values changed as their strategies say, everything else
# equal), so "ok" means a correct clone; the report must carry the figures and
# ratios the README promises. A knob error stops the benchmark before it builds
# anything.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

# The benchmark makes its own clusters: give it a clean environment (none of
# this suite's PGC_* variables) and ports clear of the suite's.
port_base=$(( ${PGCLONE_TEST_PORT_BASE:-55400} + 500 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench() {
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 PGCLONE_TEST_PORT_BASE="$port_base" \
    ${PGCLONE_AGENT:+PGCLONE_AGENT="$PGCLONE_AGENT"} ${PG_CONFIG:+PG_CONFIG="$PG_CONFIG"} \
    BENCH_SCALE=1 BENCH_REPEAT=1 "$@" "$root/bench/run.sh"
}

bench BENCH_CONTENDERS="pgclone pgcopydb pg_dump floor pgclone_masked pgclone_cluster" \
  BENCH_MARKDOWN="$work/report.md" BENCH_LOG_DIR="$work/logs" >"$work/out" 2>"$work/err"
rc=$?
sed 's/^/# /' "$work/out"
[ "$rc" = 0 ] || tail -n 20 "$work/err" | sed 's/^/# stderr: /'
t_is "$rc" 0 "the benchmark exits 0"

# "contender  best  median  CPU  MiB/s  x pgclone  runs  result"
row() { awk -v c="$1" '$1 == c { print; exit }' "$work/out"; }
for c in pgclone pgcopydb pg_dump floor; do
  t_like "$(row "$c")" "^$c +[0-9]+\.[0-9]+ .* ok$" "$c ran and its clone matched the source"
done
# The masked clone (bench/masked.sh's contender): its unmasked part matched the
# source, every sampled masked value changed as its strategy says.
t_like "$(row pgclone_masked)" "^pgclone_masked +[0-9]+\.[0-9]+ .* ok$" "pgclone_masked ran and its masked clone checked out"
t_like "$(grep '^pgclone_masked/pgclone time:' "$work/out")" ': [0-9]+\.[0-9]+ median, [0-9]+\.[0-9]+ best ' \
  "the masked/unmasked time ratio is reported"
t_like "$(grep '^- pgclone_masked/pgclone time:' "$work/report.md")" ' median, ' "and is in the markdown report"
# The clone spread over two worker agents (bench/cluster_overhead.sh's
# contender): checked like pgclone's, and both workers loaded tables.
t_like "$(row pgclone_cluster)" "^pgclone_cluster +[0-9]+\.[0-9]+ .* ok$" "pgclone_cluster ran on two worker agents and its clone matched"
t_like "$(grep '^pgclone_cluster/pgclone time:' "$work/out")" ': [0-9]+\.[0-9]+ median, [0-9]+\.[0-9]+ best ' \
  "the distributed/single time ratio is reported"
ratio() { awk -v k="$1" 'index($0, k) == 1 { sub(/^[^:]*: */, ""); print; exit }' "$work/out"; }
t_like "$(ratio "pgclone/pgcopydb time")" '^[0-9]+\.[0-9]+ ' "the pgclone/pgcopydb ratio is reported"
t_like "$(ratio "pgclone/floor time")" '^[0-9]+\.[0-9]+ ' "the pgclone/floor ratio is reported"
t_like "$(grep '^agent peak RSS' "$work/out")" ': [0-9]+\.[0-9] MiB$' "the agent's peak RSS is reported in MiB"
t_like "$(grep '^   machine:' "$work/out")" "^   machine: $(nproc) CPUs" "the report names the machine"

# Both target configurations by default, PostgreSQL's default WAL settings
# first, each with its own section, every contender ok in each, and the WAL the
# target wrote per run.
t_is "$(grep -o '^== .*target configuration [a-z]*' "$work/out" | sed 's/.* //' | paste -sd ' ')" "replica minimal" \
  "a report section per target configuration, replica first"
minimal_row() { awk -v c="$1" '/target configuration minimal/ { m = 1 } m && $1 == c { print; exit }' "$work/out"; }
for c in pgclone pgcopydb pg_dump floor; do
  t_like "$(minimal_row "$c")" "^$c +[0-9]+\.[0-9]+ .* ok$" "$c ran on the minimal target too and its clone matched"
done
t_like "$(grep -m1 '^   target:' "$work/out")" 'fsync=on .*full_page_writes=on .*synchronous_commit=on .*wal_level=replica' \
  "the replica section's target runs PostgreSQL's default WAL settings"
t_like "$(awk '/target configuration minimal/ { m = 1 } m && /^   target:/ { print; exit }' "$work/out")" \
  'fsync=off .*wal_level=minimal' "the minimal section's target is tuned for bulk loads"
wal_of() { awk '{ print $5 }' <<<"$1"; }
t_like "$(wal_of "$(row pgclone)")" '^[0-9]+\.[0-9]$' "the WAL MiB the target wrote is reported ($(wal_of "$(row pgclone)") MiB for pgclone on replica)"
pgc_lt "$(wal_of "$(minimal_row pgclone)")" "$(wal_of "$(row pgclone)")"
t_ok $? "pgclone writes less WAL on the minimal target than on replica ($(wal_of "$(minimal_row pgclone)") < $(wal_of "$(row pgclone)") MiB)"
t_like "$(ratio "pgclone/pgcopydb time")" '^[0-9]+\.[0-9]+ best, [0-9]+\.[0-9]+ median' "pgclone/pgcopydb is given for best and median runs"
t_is "$(grep -c '^## pgclone benchmark' "$work/report.md")" 2 "the markdown report has both sections"

# The markdown report carries the same pgclone time as the terminal one.
best=$(row pgclone | awk '{ print $2 }')
t_like "$(grep '^| pgclone |' "$work/report.md")" "^\| pgclone \| $best \|" \
  "the markdown report has pgclone's best time ($best s)"
test -s "$work/logs/agent.log"
t_ok $? "every run's logs were kept (BENCH_LOG_DIR)"
! (exec 3<>"/dev/tcp/127.0.0.1/$((port_base + 2))") 2>/dev/null
t_ok $? "nothing is left running: the benchmark's agent port is free again"

# A wrong clone is caught: a pgcopydb that changes one balance after cloning
# (same row counts, different content) is reported FAILED, naming the table.
cat >"$work/pgcopydb-wrong" <<'EOF'
#!/usr/bin/env bash
pgcopydb "$@" || exit
while [ $# -gt 0 ]; do [ "$1" = --target ] && target=$2; shift; done
[ -z "${target:-}" ] || psql -X -q "$target" -c "UPDATE bench.pgbench_accounts SET abalance = abalance + 1 WHERE aid = 1"
EOF
chmod +x "$work/pgcopydb-wrong"
# So is a masked clone whose masks are not the ones the check expects: label
# left unmasked, amount not moved.
bench BENCH_CONTENDERS="pgcopydb pgclone_masked" BENCH_PGCOPYDB="$work/pgcopydb-wrong" BENCH_MARKDOWN= BENCH_TARGETS=minimal \
  BENCH_MASKS='{"events": {"note": "hash"}}' >"$work/out4" 2>&1
t_is "$?" 0 "a run with a wrong clone still completes its report"
t_like "$(awk '$1 == "pgcopydb" { print; exit }' "$work/out4")" ' FAILED: .*pgbench_accounts' "the wrong clone is reported FAILED, naming the table that differs"
t_like "$(awk '$1 == "pgclone_masked" { print; exit }' "$work/out4")" ' FAILED: .*masked value\(s\) wrong, e\.g\. id 1: label event-1, expected ev\*\*\*-1' \
  "a masked clone with a column left unmasked is reported FAILED, naming the row and column"

# A knob error stops it at once, naming the knob, with exit status 2.
bench BENCH_CONTENDERS="pgclone nosuchtool" >"$work/out2" 2>&1
t_is "$?" 2 "an unknown contender exits 2"
t_like "$(cat "$work/out2")" "unknown contender 'nosuchtool'" "and names it"
bench BENCH_TARGETS="replica fast" >"$work/out3" 2>&1
t_is "$?" 2 "an unknown target configuration exits 2"
t_like "$(cat "$work/out3")" "unknown target configuration 'fast'" "and names it"
bench BENCH_SCALE=0 >"$work/out3" 2>&1
t_is "$?" 2 "BENCH_SCALE=0 exits 2"
t_like "$(cat "$work/out3")" "BENCH_SCALE must be a positive integer" "and names the knob"
bench BENCH_WARMUP=-1 >"$work/out4" 2>&1
t_is "$?" 2 "BENCH_WARMUP=-1 exits 2"
t_like "$(cat "$work/out4")" "BENCH_WARMUP must be 0 or a positive integer" "and names the knob"

t_done
