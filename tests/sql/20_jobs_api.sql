-- Async jobs (issue 4): table_async / schema_async / database_async return
-- their id at once; wait() ends with the final status; progress(), jobs(),
-- jobs_view and progress_detail() describe the finished job; a failed job;
-- the error cases of resume/progress/cancel/wait.
-- Sources: jobs.slow, jobs_sch, database pgclone_jobs_db (tests/fixtures/80_jobs.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP SCHEMA IF EXISTS jobs_sch CASCADE;
DROP SCHEMA IF EXISTS jobsdb CASCADE;
SELECT plan(66);

SELECT is(pg_get_function_result('pgclone.table_async(text,text,text,boolean,text,text)'::regprocedure), 'integer',
  'table_async returns integer');
SELECT is(pg_get_function_result('pgclone.schema_async(text,text,boolean,text)'::regprocedure), 'integer',
  'schema_async returns integer');
SELECT is(pg_get_function_result('pgclone.database_async(text,boolean,text)'::regprocedure), 'integer',
  'database_async returns integer');

------------------------------------------------------------------ submit three slow jobs
-- ~1.5 s of pg_sleep on the source
CREATE TEMP TABLE t_sub AS SELECT * FROM pgtest.run($$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'slow', true, 'slow_a', pgtest.slow_opts(1500))$$);
-- ~1.5 s of CHECK validation on the target
CREATE TEMP TABLE s_sub AS SELECT * FROM pgtest.run($$SELECT pgclone.schema_async(pgtest.src(), 'jobs_sch')$$);
-- ~1 s of CHECK validation on the target
CREATE TEMP TABLE d_sub AS SELECT * FROM pgtest.run($$SELECT pgclone.database_async(pgtest.jobs_db_src())$$);

SELECT is((SELECT sqlstate || ' ' || (result ~ '^[0-9]+$') FROM t_sub), '00000 true', 'table_async returned a job id');
SELECT cmp_ok((SELECT elapsed_s FROM t_sub), '<', 0.5::float8, 'table_async returned within 0.5 s');
SELECT is((SELECT sqlstate || ' ' || (result ~ '^[0-9]+$') FROM s_sub), '00000 true', 'schema_async returned a job id');
SELECT cmp_ok((SELECT elapsed_s FROM s_sub), '<', 0.5::float8, 'schema_async returned within 0.5 s');
SELECT is((SELECT sqlstate || ' ' || (result ~ '^[0-9]+$') FROM d_sub), '00000 true', 'database_async returned a job id');
SELECT cmp_ok((SELECT elapsed_s FROM d_sub), '<', 0.5::float8, 'database_async returned within 0.5 s');
SELECT ok((SELECT result::int FROM t_sub) < (SELECT result::int FROM s_sub)
          AND (SELECT result::int FROM s_sub) < (SELECT result::int FROM d_sub), 'job ids increase');

CREATE TEMP TABLE ids AS
  SELECT (SELECT result::int FROM t_sub) AS t, (SELECT result::int FROM s_sub) AS s, (SELECT result::int FROM d_sub) AS d;
CREATE TEMP TABLE running_now AS
  SELECT pgtest.job_status(t) AS t, pgtest.job_status(s) AS s, pgtest.job_status(d) AS d FROM ids;

-- wait() for each
CREATE TEMP TABLE t_wait AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT t FROM ids))$$);
CREATE TEMP TABLE s_wait AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT s FROM ids))$$);
CREATE TEMP TABLE d_wait AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT d FROM ids))$$);
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM t_wait), 'completed', 'wait(table job) -> completed');
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM s_wait), 'completed', 'wait(schema job) -> completed');
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM d_wait), 'completed', 'wait(database job) -> completed');
SELECT is((SELECT t || ' ' || s || ' ' || d FROM running_now) ~ '^(pending|running) (pending|running) (pending|running)$', true,
  'right after submission the three jobs were pending or running (not already finished)');
SELECT cmp_ok((pgtest.job((SELECT t FROM ids)) ->> 'elapsed_ms')::bigint, '>=', 1000::bigint,
  'the table job took seconds (so returning at once meant not waiting)');
SELECT cmp_ok((pgtest.job((SELECT s FROM ids)) ->> 'elapsed_ms')::bigint, '>=', 1000::bigint, 'the schema job took seconds');
SELECT cmp_ok((pgtest.job((SELECT d FROM ids)) ->> 'elapsed_ms')::bigint, '>=', 700::bigint, 'the database job took most of a second or more');

------------------------------------------------------------------ progress() of the completed table job
CREATE TEMP TABLE p AS SELECT pgtest.job(t) AS j FROM ids;
SELECT ok((SELECT j ?& ARRAY['job_id', 'status', 'phase', 'tables_completed', 'tables_total', 'rows_copied',
                             'bytes_copied', 'current_table', 'elapsed_ms'] FROM p),
  'progress() has job_id, status, phase, tables_completed, tables_total, rows_copied, bytes_copied, current_table, elapsed_ms');
SELECT ok((SELECT NOT j ? 'error' FROM p), 'progress() of a completed job has no "error" key');
SELECT is((SELECT (j ->> 'job_id')::int FROM p), (SELECT t FROM ids), 'job_id is the id');
SELECT is((SELECT j ->> 'status' FROM p), 'completed', 'status completed');
SELECT is((SELECT (j ->> 'tables_completed') || '/' || (j ->> 'tables_total') FROM p), '1/1', 'tables 1/1');
SELECT is((SELECT (j ->> 'rows_copied')::bigint FROM p), 1500::bigint, 'rows_copied 1500');
SELECT cmp_ok((SELECT (j ->> 'bytes_copied')::bigint FROM p), '>=', (1500 * 70)::bigint, 'bytes_copied counts the data (>= 70 bytes a row)');
SELECT is((SELECT jsonb_typeof(j -> 'elapsed_ms') || ' ' || jsonb_typeof(j -> 'rows_copied') FROM p), 'number number',
  'counters are JSON numbers');

------------------------------------------------------------------ jobs()
SELECT is(jsonb_typeof(pgclone.jobs()::jsonb), 'array', 'jobs() is a JSON array');
SELECT is((SELECT count(*) FROM jsonb_array_elements(pgclone.jobs()::jsonb) e, ids
            WHERE (e ->> 'job_id')::int IN (ids.t, ids.s, ids.d) AND e ->> 'status' = 'completed'), 3::bigint,
  'jobs() lists the three jobs as completed');
SELECT is((SELECT e FROM jsonb_array_elements(pgclone.jobs()::jsonb) e, ids WHERE (e ->> 'job_id')::int = ids.t) - 'elapsed_ms',
          (SELECT j FROM p) - 'elapsed_ms', 'jobs() holds the same object as progress()');

------------------------------------------------------------------ jobs_view / progress_detail()
CREATE TEMP TABLE v AS SELECT jv.* FROM pgclone.jobs_view jv, ids WHERE jv.job_id IN (ids.t, ids.s, ids.d);
SELECT is((SELECT count(*) FROM v), 3::bigint, 'jobs_view has one row per job');
SELECT is((SELECT status || ' ' || op_type || ' ' || schema_name || ' ' || table_name FROM v, ids WHERE job_id = ids.t),
  'completed table jobs slow', 'table job: status, op_type, schema_name, table_name');
SELECT is((SELECT status || ' ' || op_type || ' ' || schema_name FROM v, ids WHERE job_id = ids.s),
  'completed schema jobs_sch', 'schema job: status, op_type, schema_name');
SELECT is((SELECT status || ' ' || op_type FROM v, ids WHERE job_id = ids.d), 'completed database', 'database job: status, op_type');
SELECT is((SELECT rows_copied FROM v, ids WHERE job_id = ids.t), (SELECT count(*) FROM jobs.slow_a),
  'table job: rows_copied = the rows on the target');
SELECT is((SELECT rows_copied FROM v, ids WHERE job_id = ids.s),
  (SELECT (SELECT count(*) FROM jobs_sch.t) + (SELECT count(*) FROM jobs_sch.u)), 'schema job: rows_copied = the rows on the target');
SELECT is((SELECT rows_copied FROM v, ids WHERE job_id = ids.d), (SELECT count(*) FROM jobsdb.t),
  'database job: rows_copied = the rows on the target');
SELECT is((SELECT tables_completed || '/' || tables_total FROM v, ids WHERE job_id = ids.s), '2/2', 'schema job: tables 2/2');
SELECT is((SELECT array_agg(pct_complete ORDER BY job_id) FROM v), ARRAY[100, 100, 100]::float8[], 'pct_complete = 100 for each');
SELECT is((SELECT count(*) FROM v WHERE progress_bar ~ '^\[[█░]{20}\] [0-9]+\.[0-9]% \| [0-9]+ rows \| [0-9]{2}:[0-9]{2}:[0-9]{2} elapsed$'),
  3::bigint, 'progress_bar has the documented format');
SELECT is((SELECT progress_bar FROM v, ids WHERE job_id = ids.t) ~ '^\[█{20}\] 100\.0% \| 1500 rows \| ', true,
  'a completed job''s bar is full and shows 100.0% and its rows');
SELECT is((SELECT count(*) FROM v WHERE elapsed_time ~ '^[0-9]{2}:[0-9]{2}:[0-9]{2}$'), 3::bigint, 'elapsed_time is HH:MM:SS');
SELECT is((SELECT count(*) FROM v WHERE abs(extract(epoch FROM elapsed_time::interval) - elapsed_ms / 1000.0) < 1.0), 3::bigint,
  'elapsed_time agrees with elapsed_ms');
SELECT is((SELECT count(*) FROM v WHERE start_time IS NOT NULL AND end_time IS NOT NULL AND end_time >= start_time), 3::bigint,
  'start_time and end_time are set');
SELECT is((SELECT count(*) FROM v WHERE abs(extract(epoch FROM end_time - start_time) * 1000 - elapsed_ms) < 1000), 3::bigint,
  'end_time - start_time agrees with elapsed_ms');
SELECT is((SELECT count(*) FROM v WHERE start_time > now() - interval '1 minute' AND end_time <= clock_timestamp()), 3::bigint,
  'start_time and end_time are recent instants');
SELECT is((SELECT count(*) FROM v WHERE error_message IS NULL), 3::bigint, 'no error_message');
SELECT is((SELECT count(*) FROM pgclone.progress_detail() d JOIN v USING (job_id)
            WHERE (d.status, d.op_type, d.rows_copied, d.pct_complete, d.start_time, d.end_time)
                  IS NOT DISTINCT FROM (v.status, v.op_type, v.rows_copied, v.pct_complete, v.start_time, v.end_time)),
  3::bigint, 'progress_detail() gives the same rows');
SELECT is((SELECT j ->> 'status' || ' ' || (j ->> 'rows_copied') FROM p), (SELECT status || ' ' || rows_copied FROM v, ids WHERE job_id = ids.t),
  'progress() and jobs_view agree');

------------------------------------------------------------------ the clones themselves
SELECT is(pgtest.checksum('SELECT * FROM jobs.slow_a'), pgtest.slow_checksum(1500), 'table job: the 1500 rows are the source''s');
SELECT is(pgtest.index_names('jobs.slow_a'), ARRAY['slow_a_payload_idx', 'slow_a_pkey'], 'table job: with its indexes');
SELECT is((SELECT count(*) || ' ' || sum(id) FROM jobs_sch.t), '1500 1125750', 'schema job: jobs_sch.t complete');
SELECT is((SELECT count(*) || ' ' || sum(id) FROM jobsdb.t), '1000 500500', 'database job: jobsdb.t complete');

------------------------------------------------------------------ a failed job
-- conflict=error against the table the first job created
CREATE TEMP TABLE f_sub AS SELECT * FROM pgtest.run($$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'one', true, 'slow_a')$$);
SELECT is((SELECT sqlstate || ' ' || (result ~ '^[0-9]+$') FROM f_sub), '00000 true',
  'table_async against an existing table is accepted (the conflict is found by the job)');
SELECT is(pgtest.try($$SELECT pgclone.wait((SELECT result::int FROM f_sub))$$), 'failed', 'wait() -> failed (not an error)');
CREATE TEMP TABLE fp AS SELECT pgtest.job((SELECT result::int FROM f_sub)) AS j;
SELECT is((SELECT j ->> 'status' FROM fp), 'failed', 'progress(): status failed');
SELECT ok((SELECT j ? 'error' FROM fp), 'progress() of a failed job has "error"');
SELECT matches((SELECT j ->> 'error' FROM fp), 'slow_a.*already exists|already exists.*slow_a', 'the error says the table exists');
SELECT is((SELECT status || ' ' || (error_message IS NOT NULL) || ' ' || (end_time IS NOT NULL) FROM pgclone.jobs_view
            WHERE job_id = (SELECT result::int FROM f_sub)), 'failed true true', 'jobs_view: failed, with error_message and end_time');
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'jobs', 'one', true, 'slow_a')$$) ~ '^42P07: ', true,
  'the same clone synchronously fails with 42P07');
SELECT is((SELECT count(*) FROM jobs.slow_a), 1500::bigint, 'the existing table is untouched');

------------------------------------------------------------------ error cases
SELECT is(pgtest.err($$SELECT pgclone.resume((SELECT t FROM ids))$$) ~ '^55000: ', true, 'resume() of a completed job -> 55000');
SELECT is(pgtest.err($$SELECT pgclone.resume(2000000000)$$) ~ '^42704: ', true, 'resume() of an unknown job -> 42704');
SELECT is(pgtest.err($$SELECT pgclone.progress(2000000000)$$) ~ '^42704: ', true, 'progress() of an unknown job -> 42704');
SELECT is(pgtest.err($$SELECT pgclone.cancel(2000000000)$$) ~ '^42704: ', true, 'cancel() of an unknown job -> 42704');
SELECT is(pgtest.err($$SELECT pgclone.wait(2000000000)$$) ~ '^42704: ', true, 'wait() of an unknown job -> 42704');
SELECT is(pgtest.err($$SELECT pgclone.progress(-1)$$) ~ '^42704: ', true, 'progress(-1) -> 42704');
SELECT is(pgtest.err($$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'one', true, 'x', '{"colums": ["id"]}')$$) ~ '^22023: .*colums', true,
  'table_async with an unknown option key -> 22023 naming it, at submission');

DROP TABLE t_sub, s_sub, d_sub, ids, running_now, t_wait, s_wait, d_wait, p, v, f_sub, fp;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP SCHEMA IF EXISTS jobs_sch CASCADE;
DROP SCHEMA IF EXISTS jobsdb CASCADE;
SELECT * FROM finish();
