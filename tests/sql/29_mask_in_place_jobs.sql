-- mask_in_place as a job (issue 11: "long runs ... show in the jobs views"):
-- the call runs in the caller's session, but the agent lists it as a local
-- job with op_type mask_in_place: completed with its row count, failed with
-- the error's SQLSTATE when the rewrite fails, none at all for a call refused
-- up front; resume() refuses it, clear_jobs() forgets it. The long-running
-- case (seen and cancelled from another session) is
-- tests/integration/mask_in_place_jobs.sh.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS pgc29 CASCADE;
SELECT plan(20);

CREATE SCHEMA pgc29;
CREATE TABLE pgc29.people (id int PRIMARY KEY, email text, phone text CHECK (phone LIKE '555%'));
INSERT INTO pgc29.people VALUES (1, 'alice@example.com', '555-1'), (2, 'bob@example.com', '555-2'),
                                (3, NULL, '555-3');
SELECT pgclone.clear_jobs();

CREATE TEMP TABLE seen AS SELECT 0 AS dummy;
CREATE FUNCTION pg_temp.mask_jobs() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM pgclone.jobs_view WHERE op_type = 'mask_in_place'
$$;
CREATE FUNCTION pg_temp.last_mask_job() RETURNS integer LANGUAGE sql AS $$
  SELECT max(job_id) FROM pgclone.jobs_view WHERE op_type = 'mask_in_place'
$$;

-- ------------------------------------------------------------ completed
SELECT is(pgclone.mask_in_place('pgc29', 'people', '{"email": "email"}'),
          'OK: masked 3 rows in pgc29.people (1 columns)', 'mask_in_place masks the table');
SELECT is(pg_temp.mask_jobs(), 1::bigint, 'the call is listed once in pgclone.jobs_view');
SELECT is((SELECT status FROM pgclone.jobs_view WHERE job_id = pg_temp.last_mask_job()), 'completed',
          'its job is completed');
SELECT is((SELECT rows_copied FROM pgclone.jobs_view WHERE job_id = pg_temp.last_mask_job()), 3::bigint,
          'rows_copied is the number of rows masked');
SELECT is((SELECT schema_name || '.' || table_name FROM pgclone.jobs_view WHERE job_id = pg_temp.last_mask_job()),
          'pgc29.people', 'it names the table');
SELECT isnt((SELECT end_time FROM pgclone.jobs_view WHERE job_id = pg_temp.last_mask_job()), NULL,
            'it has an end time');
SELECT is((pgclone.progress(pg_temp.last_mask_job())::jsonb)->>'op_type', 'mask_in_place',
          'progress(id) shows it too');
SELECT ok((SELECT pgclone.jobs()::jsonb @> jsonb_build_array(jsonb_build_object('op_type', 'mask_in_place',
                                                                                 'status', 'completed'))),
          'jobs() shows it too');
SELECT is(pgclone.cancel(pg_temp.last_mask_job()), 'job ' || pg_temp.last_mask_job() || ' has already finished',
          'cancel() of the completed job says it has finished');
SELECT throws_ok(format('SELECT pgclone.resume(%s)', pg_temp.last_mask_job()), '55000',
                 format('pgclone job %s cannot be resumed: it is a mask_in_place call, which runs in its caller''s own session',
                        pg_temp.last_mask_job()),
                 'resume() refuses a mask_in_place job with 55000');

-- ------------------------------------------------------------ refused up front: no job
SELECT throws_ok($$SELECT pgclone.mask_in_place('pgc29', 'people', '{"email": "nope"}')$$, '22023', NULL,
                 'an unknown strategy is refused with 22023');
SELECT throws_ok($$SELECT pgclone.mask_in_place('pgc29', 'missing', '{"email": "email"}')$$, '42P01', NULL,
                 'an unknown table is refused with 42P01');
SELECT is(pg_temp.mask_jobs(), 1::bigint, 'calls refused up front create no job');

-- ------------------------------------------------------------ failed in the rewrite
SELECT throws_ok($$SELECT pgclone.mask_in_place('pgc29', 'people', '{"phone": {"type": "constant", "value": "x"}}')$$,
                 '23514', NULL, 'a mask that breaks a CHECK constraint fails in the rewrite with 23514');
SELECT is(pg_temp.mask_jobs(), 2::bigint, 'the failed call is listed');
SELECT is((SELECT status FROM pgclone.jobs_view WHERE job_id = pg_temp.last_mask_job()), 'failed',
          'its job is failed');
SELECT is((pgclone.progress(pg_temp.last_mask_job())::jsonb)->>'error_sqlstate', '23514',
          'with the SQLSTATE of the error');
SELECT matches((SELECT error_message FROM pgclone.jobs_view WHERE job_id = pg_temp.last_mask_job()),
               'check constraint', 'and its message');

-- ------------------------------------------------------------ in the caller's transaction
BEGIN;
SELECT count(*) FROM pgc29.people;  -- the caller holds a lock on the table, as the established suite does
SELECT is(pgclone.mask_in_place('pgc29', 'people', '{"email": "email"}'),
          'OK: masked 3 rows in pgc29.people (1 columns)', 'mask_in_place in a transaction that read the table');
ROLLBACK;

SELECT is(pgclone.clear_jobs() >= 3, true, 'clear_jobs() forgets finished mask_in_place jobs');

SELECT * FROM finish();
DROP SCHEMA pgc29 CASCADE;
