#!/usr/bin/env bash
# Chaos: SIGKILL the agent in the middle of an async schema clone — during the
# DDL, during COPY, during an index build of the big table — restart it, check the job is listed
# as interrupted, resume it, and compare the clone with the source row for row
# (nothing missing, nothing duplicated). Also: a resume after tables were done
# does not copy them again.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC_DB=chaos_src
TGT_DB=chaos_tgt
SRC="host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC_DB user=postgres"
src() { PGC_SOURCE_DB=$SRC_DB pgc_psql source "$@"; }
tgt() { PGC_TARGET_DB=$TGT_DB pgc_psql target "$@"; }

pgc_psql source -c "DROP DATABASE IF EXISTS $SRC_DB" -c "CREATE DATABASE $SRC_DB" >/dev/null
src -f "$PGC_REPO/tests/integration/data/chaos_source.sql" >/dev/null
t_ok $? "chaos source loaded"
pgc_psql target -c "DROP DATABASE IF EXISTS $TGT_DB" >/dev/null
pgc_psql target -c "CREATE DATABASE $TGT_DB" >/dev/null
tgt -c "CREATE EXTENSION pgclone" \
    -c "ALTER DATABASE $TGT_DB SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null
t_ok $? "chaos target ready"

total_rows=$(src -c "SELECT sum(n) FROM (SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', schemaname, tablename), false, true, '')))[1]::text::bigint AS n FROM pg_tables WHERE schemaname = 'chaos') c")

# Row checksum of every table in one query per side, then source vs target,
# and no duplicated primary keys.
CHECKSUMS="SELECT tablename || ' ' || (xpath('/row/c/text()', query_to_xml(format(
  'SELECT count(*) || '':'' || coalesce(md5(string_agg(x::text, '','' ORDER BY x::text)), '''') AS c FROM chaos.%I x',
  tablename), false, true, '')))[1]::text FROM pg_tables WHERE schemaname = 'chaos' ORDER BY tablename"
compare_clone() {
  local label=$1 s g differing dupes
  s=$(src -c "$CHECKSUMS")
  g=$(tgt -c "$CHECKSUMS" 2>&1)
  differing=$(diff <(echo "$s") <(echo "$g") | grep -c '^[<>]')
  t_is "$differing" 0 "$label: every table's rows are identical to the source ($(echo "$s" | wc -l) tables)"
  dupes=$(tgt -c "SELECT (SELECT count(*) - count(DISTINCT id) FROM chaos.big1) + (SELECT count(*) - count(DISTINCT id) FROM chaos.big2)")
  t_is "$dupes" 0 "$label: no duplicated rows in the big tables"
  t_is "$(tgt -c "SELECT count(*) FROM pg_constraint WHERE conrelid = 'chaos.big2'::regclass AND contype = 'f'")" 1 \
    "$label: the foreign key arrived"
  t_is "$(tgt -c "SELECT count(*) FROM pg_indexes WHERE schemaname = 'chaos' AND tablename = 'big1'")" 4 \
    "$label: big1 has its 4 indexes"
}

job_field() { tgt -c "SELECT $2 FROM pgclone.jobs_view WHERE job_id = $1"; }

# Waits until the job shows the phase (and, optionally, an extra condition).
wait_for_phase() {
  local job=$1 phase=$2 cond=${3:-true} deadline=$((SECONDS + 90))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(tgt -c "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = $job AND current_phase = '$phase' AND $cond")" = 1 ] && return 0
    [ "$(job_field "$job" status)" = running ] || [ "$(job_field "$job" status)" = pending ] || return 1
    sleep 0.05
  done
  return 1
}

# Waits until the target builds one of big1's indexes. (Not by the job's
# phase: big1 loads while pre-data still creates the small tables, and the
# phase stays "creating objects" until that ends.)
wait_for_big1_index_build() {
  local job=$1 deadline=$((SECONDS + 90))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(tgt -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
                 AND (query LIKE 'CREATE INDEX big1%' OR query LIKE 'ALTER TABLE ONLY chaos.big1 ADD CONSTRAINT%')")" -gt 0 ] &&
      return 0
    [ "$(job_field "$job" status)" = running ] || [ "$(job_field "$job" status)" = pending ] || return 1
    sleep 0.02
  done
  return 1
}

run_round() {
  local phase=$1 cond=${2:-true} job new status
  tgt -c "DROP SCHEMA IF EXISTS chaos CASCADE" >/dev/null 2>&1
  job=$(tgt -c "SELECT pgclone.schema_async('$SRC', 'chaos', true, '{\"parallel\": 2}')")
  t_like "$job" '^[0-9]+$' "[$phase] schema_async returned a job id"
  if [ "$phase" = "building indexes" ]; then
    wait_for_big1_index_build "$job"
    t_ok $? "[$phase] caught the target building an index of chaos.big1" "status: $(job_field "$job" status)"
  else
    wait_for_phase "$job" "$phase" "$cond"
    t_ok $? "[$phase] caught the job in phase '$phase'" "status: $(job_field "$job" status)"
  fi
  pgc_agent_signal KILL
  t_is "$(pgc_agent_wait_exit 5)" 137 "[$phase] the agent died of SIGKILL"
  pgc_agent_start >/dev/null
  t_ok $? "[$phase] the agent restarts"
  status=$(job_field "$job" status)
  t_is "$status" interrupted "[$phase] the job is listed as interrupted after the restart"
  new=$(tgt -c "SELECT pgclone.resume($job)")
  t_like "$new" '^[0-9]+$' "[$phase] resume() returned a new job id"
  t_is "$(tgt -c "SELECT pgclone.wait($new, '120 s')")" completed "[$phase] the resumed job completed"
  compare_clone "[$phase]"
  RESUMED_ROWS=$(job_field "$new" rows_copied)
}

run_round "creating objects"
run_round "building indexes"
# Kill once several small tables are done while big1 is still loading: the
# resumed job must not copy those again.
run_round "copying data" "tables_completed >= 20"
pgc_lt "$RESUMED_ROWS" "$total_rows"
t_ok $? "[copying data] the resumed job skipped finished tables ($RESUMED_ROWS of $total_rows rows copied again)"

tgt -c "DROP SCHEMA IF EXISTS chaos CASCADE" >/dev/null 2>&1
pgc_psql source -c "DROP DATABASE IF EXISTS $SRC_DB" >/dev/null
pgc_psql target -c "DROP DATABASE IF EXISTS $TGT_DB WITH (FORCE)" >/dev/null
t_done
