# shellcheck shell=bash
# bench/lib/cluster.sh: pgclone spread over worker agents as a contender,
# "pgclone_cluster" — the same pgclone.schema() call as the pgclone contender,
# sent to a coordinator (--workers 0: it loads nothing itself) whose two worker
# agents on this machine (--join, BENCH_JOBS slots each) load the tables. On
# one 2-CPU machine extra hosts add no CPU, so this measures the overhead of
# distribution (issue 13 asks for at most 1.1x the single agent's time);
# bench/cluster_overhead.sh runs the two alternately and reports the ratio.
# The agents start before each run and stop after it (untimed).

BENCH_CLUSTER_DIR=""

bench_cluster_start_agent() {  # NAME ARGS...
  local name=$1
  shift
  (
    trap - EXIT INT TERM HUP
    pgc_close_fds
    pgc_exec_as_pg "$(pgc_agent_bin)" "$@" --log-level "$BENCH_AGENT_LOG_LEVEL" \
      </dev/null >>"$BENCH_CLUSTER_DIR/$name.log" 2>&1 &
    echo $! >"$BENCH_CLUSTER_DIR/$name.pid"
  ) >/dev/null 2>&1
}

bench_cluster_workers_joined() {
  grep -c "joined with" "$BENCH_CLUSTER_DIR/coordinator.log" 2>/dev/null || echo 0
}

contender_version_pgclone_cluster() {
  echo "pgclone_cluster: a coordinator (--workers 0) and 2 worker agents (--workers $BENCH_JOBS) on this machine"
}

contender_prepare_pgclone_cluster() {
  local w
  contender_prepare_pgclone "$@"
  BENCH_CLUSTER_DIR="$PGC_TMPDIR/cluster"
  rm -rf "$BENCH_CLUSTER_DIR"
  mkdir -p "$BENCH_CLUSTER_DIR"/{coordinator,w1,w2}
  : >"$BENCH_CLUSTER_DIR/worker_keys"
  for w in w1 w2; do
    "$(pgc_agent_bin)" keygen --out "$BENCH_CLUSTER_DIR/$w.key" 2>/dev/null >>"$BENCH_CLUSTER_DIR/worker_keys"
  done
  chown -R postgres:postgres "$BENCH_CLUSTER_DIR"
  chmod 600 "$BENCH_CLUSTER_DIR"/*.key
  BENCH_CLUSTER_PORT=$(pgc_free_port)
  BENCH_CLUSTER_WORKER_PORT=$(pgc_free_port)
  bench_cluster_start_agent coordinator --listen "tcp://127.0.0.1:$BENCH_CLUSTER_PORT" \
    --worker-listen "tcp://127.0.0.1:$BENCH_CLUSTER_WORKER_PORT" --worker-keys "$BENCH_CLUSTER_DIR/worker_keys" \
    --workers 0 --state-dir "$BENCH_CLUSTER_DIR/coordinator" --key "$PGC_TMPDIR/agent/agent.key" \
    --servers "$PGC_TMPDIR/agent/servers.json"
  for w in w1 w2; do
    bench_cluster_start_agent "$w" --join "tcp://127.0.0.1:$BENCH_CLUSTER_WORKER_PORT" \
      --coordinator-key "$(cat "$PGC_TMPDIR/agent/agent.pub")" --key "$BENCH_CLUSTER_DIR/$w.key" \
      --servers "$PGC_TMPDIR/agent/servers.json" --state-dir "$BENCH_CLUSTER_DIR/$w" --workers "$BENCH_JOBS" \
      --worker-name "$w"
  done
  for _ in $(seq 1 100); do
    [ "$(bench_cluster_workers_joined)" -ge 2 ] && return 0
    sleep 0.1
  done
  bench_die "the worker agents did not join the coordinator (logs in $BENCH_CLUSTER_DIR)"
}

contender_run_pgclone_cluster() {
  local db=$1 log=$2 sql
  sql="SELECT pgclone.schema('$(bench_conninfo source "$BENCH_SRC_DB")', '$BENCH_SCHEMA', true, '{\"parallel\": $BENCH_JOBS}')"
  echo "$sql" >"$log"
  bench_psql target "$db" -v VERBOSITY=verbose \
    -c "SET pgclone.agent_endpoint = 'tcp://127.0.0.1:$BENCH_CLUSTER_PORT'" -c "$sql" >>"$log" 2>&1 || return 1
  grep -q '^OK' "$log" || return 1
  # Spread for real: both workers loaded tables, the coordinator none.
  bench_psql target "$db" -c "SET pgclone.agent_endpoint = 'tcp://127.0.0.1:$BENCH_CLUSTER_PORT'" \
    -c "SELECT hosts FROM pgclone.jobs_view ORDER BY job_id DESC LIMIT 1" >>"$log" 2>&1
  grep -Eq '^w1: [0-9]+ tables?, w2: [0-9]+ tables?$' "$log"
}

contender_cleanup_pgclone_cluster() {
  local pid
  for pid in "$BENCH_CLUSTER_DIR"/*.pid; do kill -TERM "$(cat "$pid")" 2>/dev/null; done
  for pid in "$BENCH_CLUSTER_DIR"/*.pid; do
    for _ in $(seq 1 100); do kill -0 "$(cat "$pid")" 2>/dev/null || break; sleep 0.1; done
  done
}

# The report's line: distributed/single time, medians and best.
contender_report_pgclone_cluster() { bench_time_ratio pgclone_cluster pgclone "two worker agents vs one agent; issue 13 asks for at most 1.1"; }
