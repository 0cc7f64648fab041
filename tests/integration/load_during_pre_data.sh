#!/usr/bin/env bash
# Tables load while the objects are still being created (clone/load_readiness.h):
# a table starts once what it needs has committed, not after the last CREATE.
# Made deterministic with a gate: schema ovl has 600 small tables (the first
# pre-data batch commits about 500 of them) and a view over public.ovl_gate, a
# table outside the schema that a test session holds locked — so pre-data
# waits in its second batch while the first batch's tables load. With pre-data
# held there:
#  * the job shows phase "creating objects" with tables completed; released,
#    it completes and every table equals the source's;
#  * pgclone.cancel() stops both at once: job cancelled, no transaction left,
#    schema gone;
#  * pre-data failing (its backend terminated) fails the job with pre-data's
#    error, the loads stopped, schema gone;
#  * kill -9 of the agent, then resume(): complete, identical, and the loaded
#    tables are not copied again;
#  * a table whose load fails (schema ovl_bad: a CHECK that refuses its rows on
#    the target) fails the job at once with the load's error although pre-data
#    is still waiting for the gate — the failure cancels pre-data's statement.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC_DB=ovl_src
SRC="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC_DB user=postgres"
TABLES=600
src() { PGC_SOURCE_DB=$SRC_DB pgc_psql source "$@"; }
tgt() { pgc_psql target "$@"; }

pgc_psql source -c "DROP DATABASE IF EXISTS $SRC_DB WITH (FORCE)" -c "CREATE DATABASE $SRC_DB" >/dev/null
src >/dev/null <<SQL || pgc_die "could not load the source"
SET client_min_messages = warning;
CREATE TABLE public.ovl_gate (id int);
CREATE SCHEMA ovl;
CREATE SCHEMA ovl_bad;
-- Refuses every row on any database but this one.
CREATE FUNCTION ovl_bad.only_here(v text) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS \$\$
BEGIN
  IF current_database() <> '$SRC_DB' THEN
    RAISE EXCEPTION 'value % refused by the target', v USING ERRCODE = 'check_violation';
  END IF;
  RETURN true;
END \$\$;
CREATE TABLE ovl_bad.a_bad (id int PRIMARY KEY, v text CHECK (ovl_bad.only_here(v)));
INSERT INTO ovl_bad.a_bad VALUES (1, 'one');
DO \$\$
BEGIN
  FOR i IN 1..$TABLES LOOP
    EXECUTE format('CREATE TABLE ovl.t_%s (id int PRIMARY KEY, v text)', lpad(i::text, 4, '0'));
    EXECUTE format('INSERT INTO ovl.t_%s SELECT g, md5(g::text) FROM generate_series(1, 20) g', lpad(i::text, 4, '0'));
    EXECUTE format('CREATE TABLE ovl_bad.t_%s (id int PRIMARY KEY)', lpad(i::text, 4, '0'));
  END LOOP;
END \$\$;
CREATE VIEW ovl.gated AS SELECT count(*) AS n FROM public.ovl_gate;
CREATE VIEW ovl_bad.gated AS SELECT count(*) AS n FROM public.ovl_gate;
SQL
tgt -c "DROP SCHEMA IF EXISTS ovl CASCADE" -c "DROP SCHEMA IF EXISTS ovl_bad CASCADE" \
    -c "DROP TABLE IF EXISTS public.ovl_gate" -c "CREATE TABLE public.ovl_gate (id int)" >/dev/null 2>&1
t_ok $? "source and target ready ($TABLES tables, the gate table on both sides)"

total_rows=$((TABLES * 20))
CHECKSUMS="SELECT tablename || ' ' || (xpath('/row/c/text()', query_to_xml(format(
  'SELECT count(*) || '':'' || coalesce(md5(string_agg(x::text, '','' ORDER BY x::text)), '''') AS c FROM ovl.%I x',
  tablename), false, true, '')))[1]::text FROM pg_tables WHERE schemaname = 'ovl' ORDER BY tablename"
compare_clone() {
  local label=$1 s g
  s=$(src -c "$CHECKSUMS")
  g=$(tgt -c "$CHECKSUMS" 2>&1)
  t_is "$(diff <(echo "$s") <(echo "$g") | grep -c '^[<>]')" 0 \
    "$label: every table's rows are identical to the source ($(echo "$g" | grep -c .) tables)"
  t_is "$(tgt -c "SELECT count(*) FROM pg_indexes WHERE schemaname = 'ovl'")" "$TABLES" "$label: every primary key arrived"
  t_is "$(tgt -c "SELECT n FROM ovl.gated" 2>&1)" 0 "$label: the view waiting for the gate arrived"
}

job_field() { tgt -c "SELECT $2 FROM pgclone.jobs_view WHERE job_id = $1"; }

# The gate: a session of the tests holding public.ovl_gate locked on the target.
close_gate() {
  pgc_bg_start gate "BEGIN; LOCK TABLE public.ovl_gate IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120)"
  local tries=0
  until [ "$(tgt -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                      WHERE c.relname = 'ovl_gate' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
    tries=$((tries + 1)); [ $tries -gt 100 ] && pgc_die "the gate session did not take its lock"
    sleep 0.1
  done
}
open_gate() {
  tgt -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone_tests_bg_gate'" >/dev/null
  pgc_bg_wait gate 10 || pgc_bg_kill gate
}

# Waits until the job is still creating objects (its phase then names the
# lock pre-data waits for: clone/lock_watch.h) while tables have loaded.
wait_for_overlap() {
  local job=$1 deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(tgt -c "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = $job
                 AND (current_phase = 'creating objects' OR current_phase LIKE 'waiting for lock on relation public.ovl_gate %')
                 AND tables_completed >= 100")" = 1 ] && return 0
    case "$(job_field "$job" status)" in running | pending) ;; *) return 1 ;; esac
    sleep 0.1
  done
  return 1
}
# start_held_job LABEL: closes the gate, starts the clone of ovl and waits
# until tables load while pre-data waits ($job).
start_held_job() {
  close_gate
  job=$(tgt -c "SELECT pgclone.schema_async('$SRC', 'ovl', true, '{\"parallel\": 2}')")
  wait_for_overlap "$job"
  t_ok $? "$1 caught the job loading tables during pre-data"
}
# The agent's pre-data session, waiting for the gate.
pre_data_backend() {
  tgt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgclone-agent'
            AND wait_event_type = 'Lock' AND query LIKE 'CREATE VIEW%gated%'"
}
wait_status() {  # JOB STATUS SECONDS
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(job_field "$1" status)" = "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
quiet_and_gone() {  # LABEL SCHEMA
  t_is "$(pgc_wait_clean "$2.t_0001" 10)" 0 "$1: no transaction of the job left open, and the schema is gone"
  t_is "$(tgt -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$2'")" 0 "$1: schema $2 does not exist"
}

# 1. Loads run while pre-data waits; released, the clone completes.
close_gate
job=$(tgt -c "SELECT pgclone.schema_async('$SRC', 'ovl', true, '{\"parallel\": 2}')")
wait_for_overlap "$job"
t_ok $? "[overlap] tables load while the objects are still being created" \
  "$(tgt -c "SELECT current_phase, tables_completed, status FROM pgclone.jobs_view WHERE job_id = $job")"
t_like "$(pre_data_backend)" '^[0-9]+$' "[overlap] meanwhile pre-data waits for the gate (CREATE VIEW ovl.gated)"
t_is "$(job_field "$job" tables_total)" "$TABLES" "[overlap] progress counts every table"
phase_names_gate() { [[ "$(job_field "$job" current_phase)" == "waiting for lock on relation public.ovl_gate (AccessShareLock) (held by pid "* ]]; }
pgc_wait_until 100 phase_names_gate
t_ok $? "[overlap] the job's phase names the lock pre-data waits for" "phase: $(job_field "$job" current_phase)"
open_gate
t_is "$(tgt -c "SELECT pgclone.wait($job, '60 s')")" completed "[overlap] released, the job completes"
t_is "$(job_field "$job" tables_completed)" "$TABLES" "[overlap] every table counted once"
compare_clone "[overlap]"
tgt -c "DROP SCHEMA ovl CASCADE" >/dev/null 2>&1

# 2. Cancelled while both run.
start_held_job "[cancel]"
t0=$(pgc_now)
tgt -c "SELECT pgclone.cancel($job)" >/dev/null
wait_status "$job" cancelled 10
t_ok $? "[cancel] the job is cancelled (after $(pgc_elapsed "$t0") s, the gate still closed)" "status: $(job_field "$job" status)"
quiet_and_gone "[cancel]" ovl
open_gate

# 3. Pre-data fails while tables load: pre-data's error is the job's.
start_held_job "[pre-data fails]"
pid=$(pre_data_backend)
tgt -c "SELECT pg_terminate_backend(${pid:-0})" >/dev/null
wait_status "$job" failed 10
t_ok $? "[pre-data fails] the job fails" "status: $(job_field "$job" status)"
t_like "$(job_field "$job" error_message)" '^could not clone view ovl\.gated: terminating connection due to administrator command' \
  "[pre-data fails] its error is pre-data's, naming the view"
quiet_and_gone "[pre-data fails]" ovl
open_gate

# 4. kill -9 of the agent while both run, then resume().
start_held_job "[kill -9]"
done_before=$(job_field "$job" tables_completed)
pgc_agent_signal KILL
t_is "$(pgc_agent_wait_exit 5)" 137 "[kill -9] the agent died of SIGKILL"
open_gate
pgc_agent_start >/dev/null
t_ok $? "[kill -9] the agent restarts"
t_is "$(job_field "$job" status)" interrupted "[kill -9] the job is listed as interrupted"
new=$(tgt -c "SELECT pgclone.resume($job)")
t_is "$(tgt -c "SELECT pgclone.wait($new, '60 s')")" completed "[kill -9] the resumed job completes"
compare_clone "[kill -9]"
resumed_rows=$(job_field "$new" rows_copied)
pgc_lt "$resumed_rows" $((total_rows - done_before * 20 + 1))
t_ok $? "[kill -9] the resumed job did not copy again the $done_before tables loaded before the kill ($resumed_rows of $total_rows rows copied)"
tgt -c "DROP SCHEMA ovl CASCADE" >/dev/null 2>&1

# 5. A load fails while pre-data waits: the job fails at once with its error.
close_gate
t0=$(pgc_now)
job=$(tgt -c "SELECT pgclone.schema_async('$SRC', 'ovl_bad', true, '{\"parallel\": 2}')")
wait_status "$job" failed 20
t_ok $? "[load fails] the job fails while pre-data still waits for the gate (after $(pgc_elapsed "$t0") s)" \
  "status: $(job_field "$job" status) $(job_field "$job" current_phase)"
t_like "$(job_field "$job" error_message)" 'ovl_bad\.a_bad.*value one refused by the target' "[load fails] its error is the load's, naming the table"
t_is "$(tgt -c "SELECT pgclone.progress($job)::json ->> 'error_sqlstate'")" 23514 "[load fails] with the target's SQLSTATE"
quiet_and_gone "[load fails]" ovl_bad
open_gate

tgt -c "DROP TABLE IF EXISTS public.ovl_gate" >/dev/null 2>&1
pgc_psql source -c "DROP DATABASE IF EXISTS $SRC_DB WITH (FORCE)" >/dev/null
t_done
