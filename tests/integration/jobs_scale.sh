#!/usr/bin/env bash
# Scale (issue 4):
#  (a) 1,000 jobs listed: 1,000 tiny async table clones; afterwards
#      SELECT count(*) FROM pgclone.jobs_view answers in < 100 ms (best of 5).
#  (b) a 10,000-table schema (each table with a primary key and 1-2 rows, in a
#      source database of its own) cloned with schema_async(..., parallel 2)
#      into a target database of its own: completed, 10,000 tables with
#      their rows. The keeper's and the pre-data transaction's locks need
#      max_locks_per_transaction raised: set on both clusters with ALTER
#      SYSTEM + restart here, and reset (+ restart) at the end.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=$PGC_SOURCE_CONNINFO
q() { pgc_psql target -c "$1"; }
NJOBS=1000
NTABLES=10000

# ---------------------------------------------------------------- (a) 1,000 jobs
# One role queues all of them: lift the agent's per-role quota for this part.
pgc_agent_restart --max-jobs-per-role "$NJOBS" --max-pending-jobs "$NJOBS" --max-finished-jobs $((2 * NJOBS)) >/dev/null ||
  pgc_die "the agent did not restart with raised quotas"
q "DROP SCHEMA IF EXISTS jobs_many CASCADE" >/dev/null 2>&1
q "CREATE SCHEMA jobs_many" >/dev/null
pgc_psql source -c "DROP SCHEMA IF EXISTS jobs_many CASCADE" -c "CREATE SCHEMA jobs_many" \
  -c "CREATE TABLE jobs_many.one (id integer PRIMARY KEY, v text)" -c "INSERT INTO jobs_many.one VALUES (1, 'x')" >/dev/null
first=$(q "SELECT coalesce(max(job_id), 0) FROM pgclone.jobs_view")
t0=$(pgc_now)
submitted=$(q "SELECT count(pgclone.table_async('$SRC', 'jobs_many', 'one', true, 'one_' || g)) FROM generate_series(1, $NJOBS) g")
submit_s=$(pgc_elapsed "$t0")
t_is "$submitted" "$NJOBS" "submitted $NJOBS async table clones (in ${submit_s} s)"
deadline=$((SECONDS + 120))
while [ $SECONDS -lt $deadline ]; do
  left=$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id > $first AND status IN ('pending', 'running')")
  [ "$left" = 0 ] && break
  sleep 0.5
done
all_s=$(pgc_elapsed "$t0")
t_is "$(q "SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM pgclone.jobs_view WHERE job_id > $first GROUP BY status) s")" \
  "completed=$NJOBS" "all $NJOBS jobs completed (in ${all_s} s from the first submission)"
t_is "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'jobs_many' AND tablename LIKE 'one\\_%'")" "$NJOBS" "$NJOBS tables on the target"
listed=$(q "SELECT count(*) FROM pgclone.jobs_view")
t_ok "$([ "$listed" -ge "$NJOBS" ] && echo 0 || echo 1)" "jobs_view lists $listed jobs (>= $NJOBS)"
timing=$(q "DO \$\$
DECLARE t0 timestamptz; best float8 := 1e9; best_jobs float8 := 1e9; n bigint; tries text := '';
BEGIN
  FOR i IN 1..5 LOOP
    t0 := clock_timestamp();
    SELECT count(*) INTO n FROM pgclone.jobs_view;
    best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    tries := tries || round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1) || ' ';
    t0 := clock_timestamp();
    PERFORM pgclone.jobs();
    best_jobs := least(best_jobs, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
  RAISE NOTICE '% % %', round(best::numeric, 1), round(best_jobs::numeric, 1), tries;
END \$\$" 2>&1 | sed -n 's/^NOTICE: *//p')
best=${timing%% *}
rest=${timing#* }
best_jobs=${rest%% *}
t_diag "count(*) FROM pgclone.jobs_view with $listed jobs: best ${best} ms (tries: ${rest#* }); pgclone.jobs(): best ${best_jobs} ms"
pgc_lt "${best:-1e9}" 100; t_ok $? "SELECT count(*) FROM pgclone.jobs_view answers in < 100 ms with $listed jobs (best of 5: ${best} ms)"
q "SELECT pgclone.clear_jobs()" >/dev/null
q "DROP SCHEMA IF EXISTS jobs_many CASCADE" >/dev/null 2>&1
pgc_agent_restart >/dev/null || pgc_die "the agent did not restart with its default quotas"
pgc_psql source -c "DROP SCHEMA IF EXISTS jobs_many CASCADE" >/dev/null

# ---------------------------------------------------------------- (b) a 10,000-table schema
SRC_DB=jobs_scale_src
TGT_DB=jobs_scale_tgt
SCALE_SRC="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC_DB user=postgres"
src() { PGC_SOURCE_DB=$SRC_DB pgc_psql source "$@"; }
tgt() { PGC_TARGET_DB=$TGT_DB pgc_psql target "$@"; }

set_locks() {   # set_locks VALUE|DEFAULT: on both clusters, with a restart
  local c
  for c in source target; do
    if [ "$1" = DEFAULT ]; then
      pgc_psql "$c" -d postgres -c "ALTER SYSTEM RESET max_locks_per_transaction" >/dev/null
    else
      pgc_psql "$c" -d postgres -c "ALTER SYSTEM SET max_locks_per_transaction = $1" >/dev/null
    fi
    pgc_cluster_stop "$c" fast && pgc_cluster_start "$c"
  done
}
restore() {
  trap - EXIT
  tgt_cleanup
  set_locks DEFAULT >/dev/null 2>&1
  pgc_agent_running || pgc_agent_start >/dev/null 2>&1
}
tgt_cleanup() {
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $TGT_DB WITH (FORCE)" >/dev/null 2>&1
  pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC_DB WITH (FORCE)" >/dev/null 2>&1
}
trap 'restore' EXIT

set_locks 1024
t_is "$(pgc_psql source -c "SHOW max_locks_per_transaction")/$(pgc_psql target -c "SHOW max_locks_per_transaction")" "1024/1024" \
  "max_locks_per_transaction raised to 1024 on both clusters (restored at the end)"
tgt_cleanup
pgc_psql source -d postgres -c "CREATE DATABASE $SRC_DB" >/dev/null
t0=$(pgc_now)
src -c "CREATE SCHEMA wide" -c "DO \$\$
BEGIN
  FOR i IN 1..$NTABLES LOOP
    EXECUTE format('CREATE TABLE wide.t%s (id integer PRIMARY KEY, v text)', i);
    EXECUTE format('INSERT INTO wide.t%s SELECT g, %L || g FROM generate_series(1, %s) g', i, 'v', 1 + i % 2);
    IF i % 1000 = 0 THEN COMMIT; END IF;
  END LOOP;
END \$\$" -c "VACUUM ANALYZE" >/dev/null
t_is "$(src -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'wide'")" "$NTABLES" "source schema wide has $NTABLES tables (built in $(pgc_elapsed "$t0") s)"
src_rows=$((NTABLES / 2 * 1 + NTABLES / 2 * 2))
pgc_psql target -d postgres -c "CREATE DATABASE $TGT_DB" >/dev/null
tgt -c "CREATE EXTENSION pgclone" -c "ALTER DATABASE $TGT_DB SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null

t0=$(pgc_now)
job=$(tgt -c "SELECT pgclone.schema_async('$SCALE_SRC', 'wide', true, '{\"parallel\": 2}')")
t_like "$job" '^[0-9]+$' "schema_async of the $NTABLES-table schema returned job $job"
final=""
deadline=$((SECONDS + 170))
while [ $SECONDS -lt $deadline ]; do
  final=$(tgt -c "SELECT pgclone.wait($job, '5 s')" 2>&1)
  case $final in running|pending) ;; *) break ;; esac
  t_diag "$(tgt -c "SELECT status || ' ' || coalesce(current_phase, '') || ' ' || tables_completed || '/' || tables_total || ' tables, ' || rows_copied || ' rows, ' || elapsed_time FROM pgclone.jobs_view WHERE job_id = $job")"
done
wall=$(pgc_elapsed "$t0")
t_is "$final" completed "the job completed within 170 s (wall time ${wall} s)"
t_diag "job: $(tgt -c "SELECT status || ' ' || tables_completed || '/' || tables_total || ' tables, ' || rows_copied || ' rows, ' || progress_bar || coalesce(' error: ' || error_message, '') FROM pgclone.jobs_view WHERE job_id = $job")"
t_is "$(tgt -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'wide'")" "$NTABLES" "$NTABLES tables on the target"
t_is "$(tgt -c "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'wide' AND c.contype = 'p'")" \
  "$NTABLES" "each with its primary key"
rows=$(tgt -c "SELECT sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM wide.%I', tablename), false, true, '')))[1]::text::bigint) FROM pg_tables WHERE schemaname = 'wide'")
t_is "$rows" "$src_rows" "with all $src_rows rows"
t_is "$(tgt -c "SELECT tables_completed || '/' || tables_total || ' ' || rows_copied FROM pgclone.jobs_view WHERE job_id = $job")" \
  "$NTABLES/$NTABLES $src_rows" "jobs_view: $NTABLES/$NTABLES tables, $src_rows rows"
t_is "$(tgt -c "SELECT count(*) FROM wide.t9999 WHERE v = 'v' || id" 2>/dev/null)" 2 "spot check: wide.t9999 has its 2 rows"
if [ "$final" != completed ]; then
  t_diag "cancelling job $job: $(tgt -c "SELECT pgclone.cancel($job)") -> $(tgt -c "SELECT pgclone.wait($job, '10 s')")"
fi

restore
t_is "$(pgc_psql source -c "SHOW max_locks_per_transaction")/$(pgc_psql target -c "SHOW max_locks_per_transaction")" "64/64" \
  "max_locks_per_transaction is back to its default"
t_done
