# shellcheck shell=bash
# bench/lib/contenders.sh: pgclone, pgcopydb and pg_dump/pg_restore.
# (The floor lives in floor.sh, the masked pgclone clone in masked.sh.)
#
# A contender NAME provides
#   contender_run_NAME DB LOG       timed: clone schema bench of the source into the
#                                   (fresh, empty) target database DB; output to LOG;
#                                   non-zero on failure
# and may provide
#   contender_available_NAME        prints why it cannot run (then it is "n/a")
#   contender_prepare_NAME DB       untimed, after DB was created
#   contender_cleanup_NAME          untimed, after DB was verified and dropped
#   contender_version_NAME          one line for the report
#   contender_verify_NAME DB DIFF   untimed: its own check of the clone instead of
#                                   bench_verify (same output: nothing, or a reason)
#   contender_report_NAME           extra lines for the report (e.g. a ratio)

# ---------------------------------------------------------------- pgclone

contender_version_pgclone() {
  local v
  v=$(bench_psql target postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'pgclone'")
  echo "pgclone ${v:-?} (agent $(pgc_agent_bin), --workers $BENCH_AGENT_WORKERS)"
}

contender_prepare_pgclone() {
  bench_psql target "$1" -c "CREATE EXTENSION pgclone"
}

contender_run_pgclone() {
  local db=$1 log=$2 sql
  sql="SELECT pgclone.schema('$(bench_conninfo source "$BENCH_SRC_DB")', '$BENCH_SCHEMA', true, '{\"parallel\": $BENCH_JOBS}')"
  echo "$sql" >"$log"
  bench_psql target "$db" -v VERBOSITY=verbose \
    -c "SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" -c "$sql" >>"$log" 2>&1 || return 1
  grep -q '^OK' "$log"
}

# ---------------------------------------------------------------- pgcopydb

BENCH_PGCOPYDB_PGID=""

contender_available_pgcopydb() {
  command -v "$BENCH_PGCOPYDB" >/dev/null 2>&1 ||
    echo "$BENCH_PGCOPYDB is not installed (scripts/install-deps.sh installs it)"
}

contender_version_pgcopydb() {
  "$BENCH_PGCOPYDB" --version 2>/dev/null | awk '/^pgcopydb version/ { print "pgcopydb " $3; exit }'
}

contender_prepare_pgcopydb() { rm -rf "$PGC_TMPDIR/pgcopydb"; }
contender_cleanup_pgcopydb() { rm -rf "$PGC_TMPDIR/pgcopydb"; }

# The whole database: the source's only non-empty schema is bench. Under setsid
# (and waited for), because on failure pgcopydb signals its whole process group.
contender_run_pgcopydb() {
  local db=$1 log=$2 rc=0
  setsid -w "$BENCH_PGCOPYDB" clone \
    --source "$(bench_uri source "$BENCH_SRC_DB")" --target "$(bench_uri target "$db")" \
    --dir "$PGC_TMPDIR/pgcopydb" --table-jobs "$BENCH_JOBS" --index-jobs "$BENCH_JOBS" \
    </dev/null >"$log" 2>&1 &
  BENCH_PGCOPYDB_PGID=$!
  wait "$BENCH_PGCOPYDB_PGID" || rc=$?
  BENCH_PGCOPYDB_PGID=""
  return "$rc"
}

# ---------------------------------------------------------------- pg_dump / pg_restore

contender_version_pg_dump() { "$PGC_PG_BINDIR/pg_dump" --version; }

contender_prepare_pg_dump() { rm -rf "$PGC_TMPDIR/pgdump"; }
contender_cleanup_pg_dump() { rm -rf "$PGC_TMPDIR/pgdump"; }

contender_run_pg_dump() {
  local db=$1 log=$2
  {
    echo "pg_dump -Fd -Z0 -j $BENCH_JOBS -n $BENCH_SCHEMA"
    "$PGC_PG_BINDIR/pg_dump" -Fd -Z0 -j "$BENCH_JOBS" -n "$BENCH_SCHEMA" -f "$PGC_TMPDIR/pgdump" \
      -d "$(bench_conninfo source "$BENCH_SRC_DB")" || return 1
    echo "pg_restore -j $BENCH_JOBS"
    "$PGC_PG_BINDIR/pg_restore" -j "$BENCH_JOBS" -d "$(bench_conninfo target "$db")" "$PGC_TMPDIR/pgdump" || return 1
  } >"$log" 2>&1
}

# ---------------------------------------------------------------- cleanup

# Stops a pgcopydb still running when the benchmark is interrupted.
bench_contenders_cleanup() {
  if [ -n "$BENCH_PGCOPYDB_PGID" ]; then
    kill -TERM -- "-$BENCH_PGCOPYDB_PGID" 2>/dev/null || true
  fi
}
