#!/usr/bin/env bash
# pgclone's full test suite — the command the README and CI run.
#
#   tests/run.sh                  build + install, unit tests, pgTAP, integration
#   PGCLONE_SKIP_BUILD=1 tests/run.sh     skip `make` / `make install` (quick re-runs)
#   PGCLONE_TESTS='03_* agent_down' tests/run.sh
#                                 only the pgTAP files / integration scripts whose
#                                 names match one of these globs (ctest still runs
#                                 unless PGCLONE_SKIP_CTEST=1)
#   PGCLONE_TEST_KEEP=1           leave the clusters and agent running afterwards
#   PGCLONE_TEST_PORT_BASE=55400  first port tried for clusters and the agent
#
# Needs root (clusters run as the postgres OS user, `make install` writes
# system directories). Everything happens under one temp dir that is removed
# at the end, also on failure or Ctrl-C. Each pgTAP file, the ctest run and
# each integration script counts as one suite; the last line is
# "N passed, N failed" and the exit status is non-zero if anything failed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
# shellcheck source=tests/harness/lib.sh
source tests/harness/lib.sh

PASSED=0
FAILED=0
FAILED_NAMES=()
START=$(pgc_now)

suite_result() {   # suite_result NAME STATUS
  if [ "$2" -eq 0 ]; then
    PASSED=$((PASSED + 1))
    echo "=== PASS: $1"
  else
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$1")
    echo "=== FAIL: $1 (exit $2)"
  fi
}

selected() {       # selected NAME -> true when PGCLONE_TESTS is unset or matches
  [ -z "${PGCLONE_TESTS:-}" ] && return 0
  local pat
  for pat in $PGCLONE_TESTS; do
    # shellcheck disable=SC2053
    [[ $1 == $pat || $1 == $pat.sql || $1 == $pat.sh ]] && return 0
  done
  return 1
}

summary() {
  echo
  if [ "$FAILED" -gt 0 ]; then echo "failed: ${FAILED_NAMES[*]}"; fi
  echo "(took $(pgc_elapsed "$START") s)"
  echo "$PASSED passed, $FAILED failed"
}

# Make sure the summary line is printed whatever happens.
trap 'summary' EXIT
pgc_init
trap 'rc=$?; pgc_cleanup; summary; exit $rc' EXIT
interrupted() { FAILED=$((FAILED + 1)); FAILED_NAMES+=("interrupted"); pgc_log "interrupted"; exit "$1"; }
trap 'interrupted 130' INT
trap 'interrupted 143' TERM HUP

[ "$(id -u)" -eq 0 ] || echo "warning: not running as root; cluster and install steps may fail" >&2

# ---------------------------------------------------------------- build
if [ "${PGCLONE_SKIP_BUILD:-0}" != 1 ]; then
  echo "=== build: make && make install"
  if make -j"$(nproc)" && make install; then
    suite_result build 0
  else
    suite_result build 1
    echo "build failed; nothing else can be tested" >&2
    exit 1
  fi
fi

# ---------------------------------------------------------------- unit tests
if [ "${PGCLONE_SKIP_CTEST:-0}" != 1 ]; then
  echo "=== ctest"
  if [ -d build ]; then
    ctest --test-dir build --output-on-failure -j"$(nproc)"
    suite_result ctest $?
  else
    echo "no build/ directory (did make build the agent?)"
    suite_result ctest 1
  fi
fi

# ---------------------------------------------------------------- clusters + agent
echo "=== setting up source and target clusters and the agent"
pgc_on_die() { suite_result setup 1; }   # called by pgc_die before it exits
pgc_setup_env
pgc_on_die() { :; }
echo "source: $PGC_SOURCE_CONNINFO"
echo "target: $PGC_TARGET_CONNINFO"
echo "agent:  $PGC_AGENT_ENDPOINT (log $PGC_AGENT_LOG)"

# ---------------------------------------------------------------- pgTAP
for f in tests/sql/*.sql; do
  name=$(basename "$f" .sql)
  selected "$name" || continue
  echo "=== pgTAP: $f"
  timeout --foreground -k 10 300 pg_prove --psql-bin "$PGC_PG_BINDIR/psql" -h "$PGC_TARGET_SOCK" -p "$PGC_TARGET_PORT" \
    -U postgres -d "$PGC_TARGET_DB" --timer --failures --comments "$f"
  rc=$?
  suite_result "$name" "$rc"
  if ! pgc_agent_running; then
    echo "agent is not running after $name; restarting it"
    tail -n 30 "$PGC_AGENT_LOG"
    pgc_agent_start >/dev/null || true
  fi
done

# ---------------------------------------------------------------- integration
for f in tests/integration/*.sh; do
  name=$(basename "$f" .sh)
  selected "$name" || continue
  echo "=== integration: $f"
  # 300 s each; regression_database runs PostgreSQL's whole regression suite
  # first (its pg_regress took 5 min on a 2-core machine at load average 17).
  limit=300
  [ "$name" = regression_database ] && limit=${PGCLONE_REGRESS_TIMEOUT:-900}
  timeout --foreground -k 10 "$limit" bash "$f"
  rc=$?
  suite_result "$name" "$rc"
  if ! pgc_agent_running; then
    echo "agent is not running after $name; restarting it"
    pgc_agent_start >/dev/null || true
  fi
done

if [ "$FAILED" -gt 0 ]; then
  echo "--- last lines of the agent log ($PGC_AGENT_LOG):"
  tail -n 40 "$PGC_AGENT_LOG" 2>/dev/null
  # Keep the logs: the temp dir is removed on exit.
  logdir="${PGCLONE_TEST_LOG_DIR:-/tmp/pgclone-test-logs}/$(date +%Y%m%d-%H%M%S)"
  if mkdir -p "$logdir"; then
    cp "$PGC_AGENT_LOG" "$logdir/agent.log" 2>/dev/null
    cp "$PGC_SOURCE_LOG" "$logdir/source-server.log" 2>/dev/null
    cp "$PGC_TARGET_LOG" "$logdir/target-server.log" 2>/dev/null
    echo "--- agent and server logs kept in $logdir"
  fi
  exit 1
fi
exit 0
