# shellcheck shell=bash
# bench/lib/clusters.sh: the source and target clusters and the agent, built with
# the test harness and tuned for bulk loads.

# bench_cluster_settings NAME WAL_LEVEL: appended after the harness's block, so
# these win (the harness's fsync = off, synchronous_commit = off and
# full_page_writes = off stay; the target's are set per configuration by
# bench_target_configure).
bench_cluster_settings() {
  local name=$1 wal_level=$2 senders=10
  [ "$wal_level" = minimal ] && senders=0
  cat >>"$PGC_TMPDIR/$name/data/postgresql.conf" <<EOF

# --- pgclone benchmark (bench/run.sh)
shared_buffers = $BENCH_SHARED_BUFFERS
max_wal_size = $BENCH_MAX_WAL_SIZE
checkpoint_timeout = $BENCH_CHECKPOINT_TIMEOUT
maintenance_work_mem = $BENCH_MAINTENANCE_WORK_MEM
wal_level = $wal_level
max_wal_senders = $senders
max_connections = 100
max_locks_per_transaction = $BENCH_MAX_LOCKS_PER_TRANSACTION
log_min_duration_statement = 1000
log_autovacuum_min_duration = 0
EOF
}

# Source (wal_level replica, PostgreSQL's default) and target clusters, started,
# and the agent. The target's WAL settings are bench_target_configure's.
bench_clusters_start() {
  pgc_cluster_create source
  pgc_cluster_create target
  bench_cluster_settings source replica
  bench_cluster_settings target minimal
  pgc_cluster_start source
  pgc_cluster_start target
  bench_log "source cluster port $PGC_SOURCE_PORT, target cluster port $PGC_TARGET_PORT (under $PGC_TMPDIR)"
  PGCLONE_AGENT_WORKERS=$BENCH_AGENT_WORKERS PGCLONE_AGENT_LOG_LEVEL=$BENCH_AGENT_LOG_LEVEL \
    pgc_agent_start || bench_die "the agent did not start (log: $PGC_AGENT_LOG)"
  pgc_write_env   # $PGC_TMPDIR/env.sh, for poking at kept clusters (PGCLONE_TEST_KEEP=1)
}

# bench_target_configure CONFIG: the target's WAL settings, then a restart.
#   replica  PostgreSQL's defaults: wal_level replica, fsync, synchronous_commit
#            and full_page_writes on — what most production targets run
#   minimal  tuned for bulk loads: wal_level minimal (COPY into a table created
#            or truncated in the same transaction writes no WAL), no senders,
#            fsync, synchronous_commit and full_page_writes off
bench_target_configure() {
  local on=on senders=10
  [ "$1" = minimal ] && { on=off; senders=0; }
  bench_psql target postgres -c "ALTER SYSTEM SET wal_level = '$1'" -c "ALTER SYSTEM SET max_wal_senders = $senders" \
    -c "ALTER SYSTEM SET fsync = $on" -c "ALTER SYSTEM SET synchronous_commit = $on" \
    -c "ALTER SYSTEM SET full_page_writes = $on" >/dev/null
  pgc_cluster_stop target
  pgc_cluster_start target
  [ "$(bench_psql target postgres -c "SHOW wal_level")" = "$1" ] || bench_die "the target did not take wal_level $1"
  bench_log "target configuration $1: $(bench_settings target)"
}

# bench_target_db_create NAME / bench_target_db_drop NAME
bench_target_db_create() {
  bench_psql target postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\""
}
bench_target_db_drop() {
  bench_psql target postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
}

# Settings actually in effect, as "name=value" words.
bench_settings() {
  bench_psql "$1" postgres -F= -c "SELECT name, current_setting(name) FROM pg_settings
    WHERE name IN ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'maintenance_work_mem',
                   'work_mem', 'wal_level', 'max_wal_senders', 'fsync', 'synchronous_commit',
                   'full_page_writes', 'autovacuum', 'max_parallel_maintenance_workers',
                   'max_locks_per_transaction', 'wal_compression')
    ORDER BY name" | tr '\n' ' '
}

bench_agent_peak_rss_kb() {
  local pid
  pid=$(pgc_agent_pid) || { echo "-"; return; }
  awk '/^VmHWM:/ { print $2; found = 1 } END { if (!found) print "-" }' "/proc/$pid/status" 2>/dev/null || echo "-"
}
