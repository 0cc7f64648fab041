#!/usr/bin/env bash
# The established pgclone's own pgTAP suite (tests/compat/established/,
# vendored byte-identical from github.com/valehdba/pgclone), run unchanged
# against our extension, the way issue 11 says we will be judged: all 77
# assertions must pass.
#
# Set up like upstream's CI: seed.sql in a fresh source database; a fresh
# target database with pgtap and pgclone created beforehand (the suite's
# first statement is SELECT plan(77)), pgclone.agent_endpoint, and
# app.source_conninfo naming the seeded database; then pg_prove on the file,
# as postgres. The suite runs in BEGIN ... ROLLBACK, but our clones commit on
# their own, hence fresh databases on every run (dropped again at the end
# unless PGCLONE_TEST_KEEP=1).
#
# The target needs nothing else: none of the harness's target prerequisites
# (tests/fixtures/target/) apply to the seed's objects.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

DIR="$PGC_REPO/tests/compat/established"
SRC=established_src
TGT=established_tgt
PLANNED=77
SRC_CONNINFO="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"

# ---------------------------------------------------------------- the files are upstream's
# The sums are recorded once, in the README; a file that differs is not the
# established suite any more.
sums=$(grep -E '^[0-9a-f]{64}  [A-Za-z_.]+$' "$DIR/README.md")
out=$(cd "$DIR" && printf '%s\n' "$sums" | sha256sum --check --strict 2>&1)
rc=$?
t_ok $rc "the vendored files match the SHA-256 sums recorded in tests/compat/established/README.md" "$out"
t_is "$(printf '%s\n' "$sums" | grep -c .)" 3 "the README records sums for LICENSE, pgclone_test.sql and seed.sql"
if [ $rc -ne 0 ]; then t_done; exit 1; fi

# ---------------------------------------------------------------- fresh databases
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "CREATE DATABASE $SRC" >/dev/null
out=$(pgc_psql source -d "$SRC" -f "$DIR/seed.sql" 2>&1)
t_ok $? "seed.sql loads into the source database $SRC" "$out"

pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" -c "CREATE DATABASE $TGT" >/dev/null
out=$(pgc_psql target -d "$TGT" -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION pgclone" 2>&1 &&
  pgc_psql target -d postgres \
    -c "ALTER DATABASE $TGT SET pgclone.agent_endpoint = $(pgc_ql "$PGC_AGENT_ENDPOINT")" \
    -c "ALTER DATABASE $TGT SET app.source_conninfo = $(pgc_ql "$SRC_CONNINFO")" 2>&1)
t_ok $? "target database $TGT: pgtap, pgclone, agent endpoint, app.source_conninfo" "$out"

cleanup_dbs() {
  [ "${PGCLONE_TEST_KEEP:-0}" = 1 ] && return 0
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" >/dev/null 2>&1
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
}

# ---------------------------------------------------------------- the suite
tap="$PGC_TMPDIR/established_suite.tap"
timeout --foreground -k 10 240 pg_prove --psql-bin "$PGC_PG_BINDIR/psql" -h "$PGC_TARGET_SOCK" \
  -p "$PGC_TARGET_PORT" -U postgres -d "$TGT" --verbose --comments --failures \
  "$DIR/pgclone_test.sql" >"$tap" 2>&1
prove_rc=$?
t_diag "pg_prove output:"
sed 's/^/  /' "$tap" | while IFS= read -r l; do t_diag "$l"; done

# Result lines of the suite's own TAP: "ok N - desc" / "not ok N - desc"
# (pg_prove prefixes the file name to the first one).
results=$(sed -E 's/^.*pgclone_test\.sql \.+ ?//' "$tap" | grep -E '^(not )?ok [0-9]+( |$)')
ran=$(printf '%s\n' "$results" | grep -c -E '^(not )?ok ')
passed=$(printf '%s\n' "$results" | grep -c -E '^ok ')
failing=$(printf '%s\n' "$results" | grep -E '^not ok ' | sed -E 's/^not ok ([0-9]+) - ?/#\1 /')
missing=()
for n in $(seq 1 $PLANNED); do
  printf '%s\n' "$results" | grep -q -E "^(not )?ok $n( |$)" || missing+=("$n")
done

t_ok $prove_rc "pg_prove exits 0 (exit $prove_rc)"
t_is "$ran" "$PLANNED" "all $PLANNED planned assertions ran"
t_ok "$([ ${#missing[@]} -eq 0 ] && echo 0 || echo 1)" "no assertion is missing" \
  "missing (never reported, e.g. after an error aborted the script): ${missing[*]}"
fail_lines=()
while IFS= read -r l; do [ -n "$l" ] && fail_lines+=("$l"); done <<<"$failing"
t_ok "$([ "$passed" = "$PLANNED" ] && echo 0 || echo 1)" "$passed/$PLANNED assertions ok" \
  "failing:" "${fail_lines[@]}"

cleanup_dbs
t_done
