#!/usr/bin/env bash
# Durable job state (issue 4): completed, failed, cancelled and running jobs
# (async and one synchronous call) survive `kill -9` of the agent. After the
# restart every job is listed with the same status, running ones as
# `interrupted`; the synchronous call failed with 08006 naming its job and a
# HINT with pgclone.resume(<id>); new job ids are higher than all old ones;
# resume() completes the interrupted jobs (tables identical to the source);
# jobs forgotten by clear_jobs() stay forgotten across another restart.
# Source: jobs.* in pgclone_src (tests/fixtures/80_jobs.sql).
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=$PGC_SOURCE_CONNINFO
q() { pgc_psql target -c "$1"; }
SLOW5000='{"where": "CASE WHEN id <= 5000 THEN pg_sleep(0.001) IS NOT NULL ELSE false END"}'
status_of() { q "SELECT coalesce((SELECT status FROM pgclone.jobs_view WHERE job_id = $1), 'absent')"; }
wait_running() {   # wait_running JOB: until it is copying data (15 s)
  local deadline=$((SECONDS + 15))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id = $1 AND status = 'running' AND current_phase = 'copying data'")" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}

q "DROP SCHEMA IF EXISTS jobs CASCADE" >/dev/null 2>&1
q "CREATE SCHEMA jobs" >/dev/null

# ---------------------------------------------------------------- jobs in every state
C=$(q "SELECT pgclone.table_async('$SRC', 'jobs', 'one', true, 'one_c')")
t_is "$(q "SELECT pgclone.wait($C)")" completed "job $C completed"
F=$(q "SELECT pgclone.table_async('$SRC', 'jobs', 'one', true, 'one_c')")
t_is "$(q "SELECT pgclone.wait($F)")" failed "job $F failed (the table exists)"
X=$(q "SELECT pgclone.table_async('$SRC', 'jobs', 'slow', true, 'slow_x', '$SLOW5000')")
wait_running "$X"
q "SELECT pgclone.cancel($X)" >/dev/null
t_is "$(q "SELECT pgclone.wait($X)")" cancelled "job $X cancelled"
R=$(q "SELECT pgclone.table_async('$SRC', 'jobs', 'slow', true, 'slow_r', '$SLOW5000')")
wait_running "$R"
t_ok $? "job $R is running (async)"

# A synchronous call is a job too, visible while it runs.
pgc_bg_start sync "SELECT pgclone.table('$SRC', 'jobs', 'slow', true, 'slow_s', '$SLOW5000')" \
  "SET pgclone.agent_timeout = '3s'"
S=""
for _ in $(seq 1 100); do
  S=$(q "SELECT job_id FROM pgclone.jobs_view WHERE status = 'running' AND op_type = 'table' AND table_name = 'slow' AND job_id > $R ORDER BY job_id DESC LIMIT 1")
  [ -n "$S" ] && break
  sleep 0.1
done
t_like "$S" '^[0-9]+$' "the synchronous call shows in jobs_view as running job '$S' while it runs"
S=${S:-0}
wait_running "$S"
t_ok $? "the synchronous job $S is copying data"

before=$(q "SELECT string_agg(job_id || '=' || status, ' ' ORDER BY job_id) FROM pgclone.jobs_view WHERE job_id IN ($C, $F, $X, $R, $S)")
rows_before=$(q "SELECT string_agg(job_id || ':' || rows_copied || ':' || op_type || ':' || coalesce(error_message, '-'), ' ' ORDER BY job_id) FROM pgclone.jobs_view WHERE job_id IN ($C, $F, $X)")
max_old=$(q "SELECT max(job_id) FROM pgclone.jobs_view")
t_is "$before" "$C=completed $F=failed $X=cancelled $R=running $S=running" "before the kill: the five jobs in their states"

# ---------------------------------------------------------------- kill -9
t0=$(pgc_now)
pgc_agent_signal KILL
t_is "$(pgc_agent_wait_exit 5)" 137 "the agent died of SIGKILL"
pgc_bg_wait sync 10
t_ok $? "the synchronous call returned"
took=$(awk -v a="$t0" -v b="$(pgc_bg_end sync)" 'BEGIN { printf "%.3f", b - a }')
err=$(pgc_bg_error sync)
t_like "$err" '^ERROR 08006 ' "the synchronous call failed with 08006"
t_like "$err" "^ERROR 08006 [^|]*[Jj]ob[^0-9|]{0,10}$S\\b" "its message names job $S"
t_like "$err" "HINT: .*pgclone\\.resume\\($S\\)" "its HINT says pgclone.resume($S)"
pgc_lt "$took" 5.0; t_ok $? "noticed within agent_timeout 3s + 2s (took ${took}s)"
t_diag "sync error: $err"
t_is "$(pgc_wait_clean jobs.slow_s 5)" 0 "no half-loaded jobs.slow_s"
t_is "$(pgc_wait_clean jobs.slow_r 5)" 0 "no half-loaded jobs.slow_r"

pgc_agent_start >/dev/null
t_ok $? "the agent restarts"
after=$(q "SELECT string_agg(job_id || '=' || status, ' ' ORDER BY job_id) FROM pgclone.jobs_view WHERE job_id IN ($C, $F, $X, $R, $S)")
t_is "$after" "$C=completed $F=failed $X=cancelled $R=interrupted $S=interrupted" \
  "after the restart: every job listed, the running ones interrupted (the sync one too, not cancelled)"
t_is "$(q "SELECT string_agg(job_id || ':' || rows_copied || ':' || op_type || ':' || coalesce(error_message, '-'), ' ' ORDER BY job_id) FROM pgclone.jobs_view WHERE job_id IN ($C, $F, $X)")" \
  "$rows_before" "the finished jobs keep their counters, type and error"
t_is "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN ($R, $S) AND end_time IS NOT NULL AND start_time IS NOT NULL")" 2 \
  "the interrupted jobs have start and end times"
t_is "$(q "SELECT count(*) FROM jsonb_array_elements(pgclone.jobs()::jsonb) e WHERE (e->>'job_id')::int IN ($C, $F, $X, $R, $S)")" 5 \
  "jobs() lists all five"
t_is "$(q "SELECT pgclone.progress($F)::jsonb ? 'error'")" t "progress() of the failed job still has its error"

N=$(q "SELECT pgclone.table_async('$SRC', 'jobs', 'one', true, 'one_n')")
t_ok "$([ "${N:-0}" -gt "$max_old" ] && echo 0 || echo 1)" "a new job's id ($N) is greater than every old one (max $max_old)"
t_is "$(q "SELECT pgclone.wait($N)")" completed "and it completes"

# ---------------------------------------------------------------- resume the interrupted ones
R2=$(q "SELECT pgclone.resume($R)")
S2=$(q "SELECT pgclone.resume($S)")
t_like "$R2 $S2" '^[0-9]+ [0-9]+$' "resume() of both interrupted jobs returns new ids ($R2, $S2)"
t_is "$(q "SELECT pgclone.wait($R2, '60 s')") $(q "SELECT pgclone.wait($S2, '60 s')")" "completed completed" "both resumed jobs complete"
want=$(q "SELECT pgtest.slow_checksum(5000)")
t_is "$(q "SELECT count(*) || ' ' || pgtest.checksum('SELECT * FROM jobs.slow_r') FROM jobs.slow_r")" "5000 $want" \
  "jobs.slow_r: 5000 rows identical to the source"
t_is "$(q "SELECT count(*) || ' ' || pgtest.checksum('SELECT * FROM jobs.slow_s') FROM jobs.slow_s")" "5000 $want" \
  "jobs.slow_s (the synchronous one): 5000 rows identical to the source"
t_is "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN ($R2, $S2) AND rows_copied = 5000")" 2 "the resumed jobs count 5000 rows each"
t_is "$(status_of "$R") $(status_of "$S")" "interrupted interrupted" "the original jobs stay listed as interrupted"
t_like "$(pgc_try_target "SELECT pgclone.resume($R2)")" '^ERROR 55000 ' "resume() of the completed resumed job -> 55000"
err=$(pgc_try_target "SELECT pgclone.resume($R)")
t_like "$err" "^ERROR 55000 pgclone job $R was already resumed as job $R2\\|DETAIL: .+\\|HINT: .*job $R2" \
  "a second resume() of the interrupted job -> 55000 naming its resumer $R2: $err"

# ---------------------------------------------------------------- clear, restart, still cleared
listed_before=$(q "SELECT string_agg(job_id::text, ' ' ORDER BY job_id) FROM pgclone.jobs_view")
cleared=$(q "SELECT pgclone.clear_jobs()")
listed_after=$(q "SELECT coalesce(string_agg(job_id::text, ' ' ORDER BY job_id), '') FROM pgclone.jobs_view")
t_like "$cleared" '^[1-9][0-9]*$' "clear_jobs() forgot $cleared jobs"
t_is "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN ($C, $F, $X, $N, $R2, $S2)")" 0 \
  "the completed, failed and cancelled jobs are gone"
t_is "$(q "SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN ($R, $S)")" 0 \
  "the interrupted jobs that were resumed are gone too (their resumers carried them on)"
t_is "$(( $(wc -w <<<"$listed_before") - $(wc -w <<<"$listed_after") ))" "$cleared" "clear_jobs() returned how many disappeared"
pgc_agent_signal KILL
t_is "$(pgc_agent_wait_exit 5)" 137 "killed the agent again"
pgc_agent_start >/dev/null
t_ok $? "the agent restarts again"
t_is "$(q "SELECT coalesce(string_agg(job_id::text, ' ' ORDER BY job_id), '') FROM pgclone.jobs_view")" "$listed_after" \
  "after the restart exactly the jobs that were not cleared are listed (cleared ones stay gone)"
pgc_agent_stop >/dev/null
pgc_agent_start >/dev/null
t_is "$(q "SELECT coalesce(string_agg(job_id::text, ' ' ORDER BY job_id), '') FROM pgclone.jobs_view")" "$listed_after" \
  "and after a clean stop and start too"
N2=$(q "SELECT pgclone.table_async('$SRC', 'jobs', 'one', true, 'one_n2')")
t_ok "$([ "${N2:-0}" -gt "$S2" ] && echo 0 || echo 1)" "ids keep increasing after clear + restarts ($N2 > $S2, no reuse of cleared ids)"
q "SELECT pgclone.wait($N2)" >/dev/null

q "DROP SCHEMA IF EXISTS jobs CASCADE" >/dev/null 2>&1
t_done
