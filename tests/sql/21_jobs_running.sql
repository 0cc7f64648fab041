-- A running async job (issue 4): live progress, wait() with a timeout,
-- cancel() within a second leaving no half-loaded table, cancel() again,
-- resume() to completion, cancelling a wait() leaves the job running.
-- Source: jobs.slow (tests/fixtures/80_jobs.sql), made slow with
-- pgtest.slow_opts(n): n rows, ~1-2 ms each on the source.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP SCHEMA IF EXISTS jobs_sch CASCADE;
SELECT plan(40);

CREATE TEMP TABLE j AS SELECT pgclone.table_async(pgtest.src(), 'jobs', 'slow', true, 'slow_r', pgtest.slow_opts(3000)) AS id;
SELECT ok(pgtest.wait_for($$SELECT pgtest.job_status((SELECT id FROM j)) = 'running'
                            AND (SELECT current_phase FROM pgclone.jobs_view WHERE job_id = (SELECT id FROM j)) = 'copying data'$$, 10),
  'the job is running and copying data');

-- two looks, a second apart
SELECT pg_sleep(0.5);
CREATE TEMP TABLE look1 AS SELECT * FROM pgclone.jobs_view WHERE job_id = (SELECT id FROM j);
CREATE TEMP TABLE look1j AS SELECT pgtest.job((SELECT id FROM j)) AS p;
SELECT pg_sleep(1.0);
CREATE TEMP TABLE look2 AS SELECT * FROM pgclone.jobs_view WHERE job_id = (SELECT id FROM j);
CREATE TEMP TABLE look2j AS SELECT pgtest.job((SELECT id FROM j)) AS p;

SELECT is((SELECT status FROM look1) || ' ' || (SELECT status FROM look2), 'running running', 'jobs_view: running at both looks');
SELECT is((SELECT p ->> 'status' FROM look1j) || ' ' || (SELECT p ->> 'status' FROM look2j), 'running running',
  'progress(): running at both looks');
SELECT cmp_ok((SELECT rows_copied FROM look2), '>', (SELECT rows_copied FROM look1),
  'rows_copied grows while the job runs (jobs_view, 1 s apart)');
SELECT cmp_ok((SELECT (p ->> 'rows_copied')::bigint FROM look2j), '>', (SELECT (p ->> 'rows_copied')::bigint FROM look1j),
  'rows_copied grows while the job runs (progress(), 1 s apart)');
SELECT cmp_ok((SELECT bytes_copied FROM look2), '>', (SELECT bytes_copied FROM look1), 'bytes_copied grows too');
SELECT ok((SELECT pct_complete >= 0 AND pct_complete < 100 FROM look2), 'pct_complete is between 0 and 100 (not 100) while running');
SELECT cmp_ok((SELECT elapsed_ms FROM look2), '>=', (SELECT elapsed_ms + 900 FROM look1), 'elapsed_ms advances');
SELECT is((SELECT (start_time IS NOT NULL) || ' ' || (end_time IS NULL) FROM look2), 'true true',
  'start_time set, end_time NULL while running');
SELECT matches((SELECT progress_bar FROM look2), '^\[[█░]{20}\] [0-9]+\.[0-9]% \| [0-9]+ rows \| [0-9]{2}:[0-9]{2}:[0-9]{2} elapsed$',
  'progress_bar format while running');
SELECT matches((SELECT progress_bar FROM look2), format('\| %s rows \|', (SELECT rows_copied FROM look2)), 'the bar shows rows_copied');
SELECT is((SELECT current_table FROM look2), 'jobs.slow', 'current_table names the table being copied');
SELECT is((SELECT tables_completed || '/' || tables_total FROM look2), '0/1', 'tables 0/1');
SELECT ok(EXISTS (SELECT 1 FROM jsonb_array_elements(pgclone.jobs()::jsonb) e
                  WHERE (e ->> 'job_id')::int = (SELECT id FROM j) AND e ->> 'status' = 'running'), 'jobs() lists it as running');

-- wait with a timeout on a running job
CREATE TEMP TABLE w200 AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT id FROM j), '200 ms')$$);
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM w200), 'running', 'wait(id, ''200 ms'') -> running');
SELECT ok((SELECT elapsed_s BETWEEN 0.15 AND 0.6 FROM w200),
  (SELECT format('after about 200 ms (took %s s)', round(elapsed_s::numeric, 3)) FROM w200));

-- cancel
CREATE TEMP TABLE c1 AS SELECT * FROM pgtest.run($$SELECT pgclone.cancel((SELECT id FROM j))$$);
CREATE TEMP TABLE cw AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT id FROM j))$$);
SELECT is((SELECT sqlstate FROM c1), '00000', 'cancel() of a running job succeeds');
SELECT matches((SELECT result FROM c1), format('cancel.*\m%s\M', (SELECT id FROM j)), 'its message says cancel and names the job');
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM cw), 'cancelled', 'wait() -> cancelled');
SELECT cmp_ok((SELECT c1.elapsed_s + cw.elapsed_s FROM c1, cw), '<', 1.5::float8, 'the job ended within ~1 s of cancel()');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transaction ended');
SELECT ok(NOT pgtest.rel_exists('jobs', 'slow_r'), 'no half-loaded jobs.slow_r is left');
SELECT is((SELECT status || ' ' || (end_time IS NOT NULL) FROM pgclone.jobs_view WHERE job_id = (SELECT id FROM j)), 'cancelled true',
  'jobs_view: cancelled, with end_time');
SELECT matches(pgtest.try($$SELECT pgclone.cancel((SELECT id FROM j))$$), 'already finished', 'cancel() again: "already finished"');
SELECT ok(NOT pgtest.job((SELECT id FROM j)) ? 'error', 'progress() of a cancelled job has no "error" key (it is only for failed jobs)');

-- resume
CREATE TEMP TABLE r AS SELECT pgclone.resume((SELECT id FROM j)) AS id;
SELECT cmp_ok((SELECT id FROM r), '>', (SELECT id FROM j), 'resume() returns a new, higher job id');
SELECT ok(pgtest.wait_for($$SELECT pgtest.job_status((SELECT id FROM r)) = 'running'$$, 5), 'the resumed job runs');
-- cancelling a wait() leaves the job running
SET statement_timeout = '300ms';
CREATE TEMP TABLE wt AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT id FROM r))$$);
RESET statement_timeout;
SELECT is((SELECT sqlstate FROM wt), '57014', 'statement_timeout cancels a wait() with 57014');
SELECT pg_sleep(0.3);
SELECT is(pgtest.job_status((SELECT id FROM r)), 'running', 'the job keeps running after its wait() was cancelled');
SELECT is(pgtest.try($$SELECT pgclone.wait((SELECT id FROM r))$$), 'completed', 'wait() on the resumed job -> completed');
SELECT is((SELECT count(*) FROM jobs.slow_r), 3000::bigint, 'the resumed clone has all 3000 rows');
SELECT is(pgtest.checksum('SELECT * FROM jobs.slow_r'), pgtest.slow_checksum(3000), 'and they are the source''s rows (checksum)');
SELECT is(pgtest.index_names('jobs.slow_r'), ARRAY['slow_r_payload_idx', 'slow_r_pkey'], 'with its indexes');
SELECT is((SELECT rows_copied FROM pgclone.jobs_view WHERE job_id = (SELECT id FROM r)), 3000::bigint, 'the resumed job counts 3000 rows');
SELECT is(pgtest.job_status((SELECT id FROM j)), 'cancelled', 'the original job is still listed as cancelled');
SELECT is(pgtest.err($$SELECT pgclone.resume((SELECT id FROM r))$$) ~ '^55000: ', true, 'resume() of the completed job -> 55000');

-- cancelling a schema job (2 workers): no schema left behind
CREATE TEMP TABLE sj AS SELECT pgclone.schema_async(pgtest.src(), 'jobs_sch', true, '{"parallel": 2}') AS id;
SELECT ok(pgtest.wait_for($$SELECT pgtest.job_status((SELECT id FROM sj)) = 'running'
                            AND (SELECT elapsed_ms FROM pgclone.jobs_view WHERE job_id = (SELECT id FROM sj)) > 500$$, 10),
  'the schema job is running');
CREATE TEMP TABLE sc AS SELECT * FROM pgtest.run($$SELECT pgclone.cancel((SELECT id FROM sj))$$);
CREATE TEMP TABLE sw AS SELECT * FROM pgtest.run($$SELECT pgclone.wait((SELECT id FROM sj))$$);
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM sw), 'cancelled', 'schema job: wait() -> cancelled');
SELECT cmp_ok((SELECT sc.elapsed_s + sw.elapsed_s FROM sc, sw), '<', 1.5::float8, 'schema job: ended within ~1 s of cancel()');
SELECT ok(pgtest.wait_quiet(5) AND NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'jobs_sch'),
  'schema job: the schema it created is gone again');

DROP TABLE j, look1, look1j, look2, look2j, w200, c1, cw, r, wt, sj, sc, sw;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP SCHEMA IF EXISTS jobs_sch CASCADE;
SELECT * FROM finish();
