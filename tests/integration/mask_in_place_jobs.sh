#!/usr/bin/env bash
# mask_in_place as a local job (issue 11: "long runs are cancellable and show
# in the jobs views"). A rewrite of a few million rows runs in one session;
# another session sees it in pgclone.jobs_view as running and stops it with
# pgclone.cancel(id) (which signals the caller's backend): the call fails with
# 57014, the table is unchanged and the job shows cancelled. A terminated
# backend reports its job failed (57P01) on its way out.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

q() { pgc_psql target -c "$1"; }
MASK="SELECT pgclone.mask_in_place('mij', 'big', '{\"email\": \"email\"}')"
running_job() {  # running_job SECONDS: the id of the running mask_in_place job, once there is one
  local t0 id
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$1"; do
    id=$(q "SELECT job_id FROM pgclone.jobs_view WHERE op_type = 'mask_in_place' AND status = 'running'
             AND schema_name = 'mij' ORDER BY job_id DESC LIMIT 1")
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.05
  done
  return 1
}
status_within() {  # status_within ID STATUS SECONDS: the job's status, once it is STATUS (or at the end)
  local t0 s
  t0=$(pgc_now)
  while pgc_lt "$(pgc_elapsed "$t0")" "$3"; do
    s=$(q "SELECT status FROM pgclone.jobs_view WHERE job_id = $1")
    [ "$s" = "$2" ] && break
    sleep 0.05
  done
  echo "$s"
}
originals() { q "SELECT count(*) FROM mij.big WHERE email LIKE 'user%@real.example'"; }

q "DROP SCHEMA IF EXISTS mij CASCADE" >/dev/null 2>&1
q "CREATE SCHEMA mij; CREATE TABLE mij.big (id int, email text);
   INSERT INTO mij.big SELECT g, 'user' || g || '@real.example' FROM generate_series(1, 2500000) g;" >/dev/null
t_is "$(originals)" 2500000 "2.5 million rows with real-looking e-mails"

# ------------------------------------------------------------ seen running, cancelled from another session
pgc_bg_start mask "$MASK"
id=$(running_job 15)
t_ok $? "another session sees the call in pgclone.jobs_view as running (job ${id:-none})"
t_is "$(q "SELECT current_phase || '|' || table_name FROM pgclone.jobs_view WHERE job_id = ${id:-0}")" \
  "rewriting table|big" "its phase and table"
t_like "$(q "SELECT pgclone.progress(${id:-0})")" '"op_type": *"mask_in_place"' "progress(id) shows it as mask_in_place"
t_is "$(q "SELECT pgclone.cancel(${id:-0})")" "cancel requested for job ${id:-0}" "pgclone.cancel(id) from another session"
pgc_bg_wait mask 15
t_ok $? "the cancelled call returned"
t_like "$(pgc_bg_error mask)" '^ERROR 57014 ' "the call failed with 57014"
t_is "$(originals)" 2500000 "the table is unchanged"
t_is "$(status_within "${id:-0}" cancelled 5)" cancelled "the job shows cancelled"
t_like "$(q "SELECT error_message FROM pgclone.jobs_view WHERE job_id = ${id:-0}")" 'canceling statement due to user request' \
  "with the error of the cancelled statement (57014 made it cancelled)"
t_like "$(pgc_try_target "SELECT pgclone.cancel(${id:-0})")" "^OK job ${id:-0} has already finished" \
  "cancelling it again: already finished"

# ------------------------------------------------------------ a terminated backend reports on its way out
pgc_bg_start term "$MASK"
id=$(running_job 15)
t_ok $? "the second call is running (job ${id:-none})"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgclone_tests_bg_term'" >/dev/null
pgc_bg_wait term 15
t_ok $? "the terminated call returned"
t_is "$(status_within "${id:-0}" failed 5)" failed "the job of the terminated backend shows failed"
t_like "$(q "SELECT pgclone.progress(${id:-0})")" '"error_sqlstate": *"57P01"' "with SQLSTATE 57P01"
t_is "$(originals)" 2500000 "the table is unchanged"

# ------------------------------------------------------------ completes and is listed with its rows
t_like "$(pgc_try_target "$MASK")" '^OK OK: masked 2500000 rows in mij.big \(1 columns\)' "an uncancelled call completes"
t_is "$(q "SELECT status || '|' || rows_copied FROM pgclone.jobs_view WHERE op_type = 'mask_in_place'
           AND schema_name = 'mij' ORDER BY job_id DESC LIMIT 1")" "completed|2500000" "its job: completed, 2500000 rows"
t_is "$(originals)" 0 "no original e-mail is left"

q "DROP SCHEMA IF EXISTS mij CASCADE" >/dev/null 2>&1
t_done
