-- clear_jobs() (issue 4): forgets the caller's finished jobs and says how
-- many; running jobs and other roles' jobs stay; a superuser clears every
-- finished job. Two non-superuser roles created here.
-- Source: jobs.one, jobs.slow (tests/fixtures/80_jobs.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP ROLE IF EXISTS pgclone_jobs_clear_a;
DROP ROLE IF EXISTS pgclone_jobs_clear_b;
SELECT plan(21);

CREATE ROLE pgclone_jobs_clear_a;
CREATE ROLE pgclone_jobs_clear_b;
GRANT USAGE ON SCHEMA pgclone TO pgclone_jobs_clear_a, pgclone_jobs_clear_b;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_jobs_clear_a, pgclone_jobs_clear_b;
CREATE SCHEMA jobs;
GRANT USAGE, CREATE ON SCHEMA jobs TO pgclone_jobs_clear_a, pgclone_jobs_clear_b;
CREATE TEMP TABLE ids (what text PRIMARY KEY, id integer);
GRANT ALL ON ids TO PUBLIC;

-- role a: two completed jobs, one failed, one running
SET ROLE pgclone_jobs_clear_a;
INSERT INTO ids VALUES ('c1', pgclone.table_async(pgtest.src_pw(), 'jobs', 'one', true, 'one_1'));
INSERT INTO ids VALUES ('c2', pgclone.table_async(pgtest.src_pw(), 'jobs', 'one', true, 'one_2'));
SELECT pgclone.wait(id) FROM ids WHERE what IN ('c1', 'c2');
INSERT INTO ids VALUES ('f', pgclone.table_async(pgtest.src_pw(), 'jobs', 'one', true, 'one_1'));
INSERT INTO ids VALUES ('r', pgclone.table_async(pgtest.src_pw(), 'jobs', 'slow', true, 'slow_clear', pgtest.slow_opts(5000)));
CREATE TEMP TABLE a_states AS
  SELECT string_agg(what || '=' || pgclone.wait(id, '10 s'), ' ' ORDER BY what) AS s FROM ids WHERE what IN ('c1', 'c2', 'f');
RESET ROLE;
-- role b: one completed job
SET ROLE pgclone_jobs_clear_b;
INSERT INTO ids VALUES ('b', pgclone.table_async(pgtest.src_pw(), 'jobs', 'one', true, 'one_b'));
SELECT pgclone.wait(id) FROM ids WHERE what = 'b';
RESET ROLE;

SELECT is((SELECT s FROM a_states), 'c1=completed c2=completed f=failed', 'role a: two completed jobs and a failed one');
SELECT is(pgtest.job_status((SELECT id FROM ids WHERE what = 'r')), 'running', 'role a: and a running one');

SET ROLE pgclone_jobs_clear_a;
CREATE TEMP TABLE a_before AS SELECT count(*) AS n FROM pgclone.jobs_view;
CREATE TEMP TABLE a_clear AS SELECT pgclone.clear_jobs() AS n;
CREATE TEMP TABLE a_after AS SELECT array_agg(job_id ORDER BY job_id) AS ids, array_agg(status ORDER BY job_id) AS st FROM pgclone.jobs_view;
CREATE TEMP TABLE a_gone AS SELECT pgtest.err(format('SELECT pgclone.progress(%s)', (SELECT id FROM ids WHERE what = 'c1'))) AS e,
  pgtest.err(format('SELECT pgclone.wait(%s)', (SELECT id FROM ids WHERE what = 'f'))) AS w;
RESET ROLE;
SELECT is((SELECT n FROM a_before), 4::bigint, 'role a sees its 4 jobs before');
SELECT is((SELECT n FROM a_clear), 3, 'clear_jobs() as role a returns 3 (its finished jobs)');
SELECT is((SELECT ids FROM a_after), ARRAY[(SELECT id FROM ids WHERE what = 'r')], 'afterwards role a sees only its running job');
SELECT is((SELECT st FROM a_after), ARRAY['running'], 'which is still running');
SELECT matches((SELECT e FROM a_gone), '^42704: ', 'progress() of a cleared job -> 42704');
SELECT matches((SELECT w FROM a_gone), '^42704: ', 'wait() of a cleared job -> 42704');
SELECT is(pgtest.job_status((SELECT id FROM ids WHERE what = 'b')), 'completed', 'role b''s finished job was not cleared by role a');
SELECT is((SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN (SELECT id FROM ids WHERE what IN ('c1', 'c2', 'f'))), 0::bigint,
  'the superuser no longer sees role a''s cleared jobs either');

-- role a: cancel the running job; clearing again forgets it
SET ROLE pgclone_jobs_clear_a;
CREATE TEMP TABLE a2 AS SELECT pgclone.cancel((SELECT id FROM ids WHERE what = 'r')) AS c,
  pgclone.wait((SELECT id FROM ids WHERE what = 'r')) AS w;
CREATE TEMP TABLE a2_clear AS SELECT pgclone.clear_jobs() AS n, (SELECT count(*) FROM pgclone.jobs_view) AS left_over;
CREATE TEMP TABLE a3_clear AS SELECT pgclone.clear_jobs() AS n;
RESET ROLE;
SELECT is((SELECT w FROM a2), 'cancelled', 'role a cancelled its running job');
SELECT is((SELECT n || ' ' || left_over FROM a2_clear), '1 0', 'clear_jobs() now returns 1 and role a sees no job');
SELECT is((SELECT n FROM a3_clear), 0, 'clear_jobs() with nothing to forget returns 0');

-- the superuser: every finished job, but not a running one
CREATE TEMP TABLE su AS SELECT pgclone.table_async(pgtest.src(), 'jobs', 'slow', true, 'slow_su', pgtest.slow_opts(5000)) AS id;
SELECT ok(pgtest.wait_for($$SELECT pgtest.job_status((SELECT id FROM su)) = 'running'$$, 5), 'a superuser''s job is running');
CREATE TEMP TABLE su_before AS SELECT count(*) AS n FROM pgclone.jobs_view WHERE status IN ('completed', 'failed', 'cancelled');
CREATE TEMP TABLE su_clear AS SELECT pgclone.clear_jobs() AS n;
SELECT cmp_ok((SELECT n FROM su_before), '>=', 1::bigint, 'the superuser sees finished jobs (role b''s at least)');
SELECT is((SELECT n::bigint FROM su_clear), (SELECT n FROM su_before), 'clear_jobs() as superuser returns how many finished jobs it saw');
SELECT is((SELECT count(*) FROM pgclone.jobs_view WHERE status IN ('completed', 'failed', 'cancelled')), 0::bigint,
  'no finished job is listed afterwards');
SELECT is(pgtest.job_status((SELECT id FROM ids WHERE what = 'b')), NULL, 'role b''s job is gone too');
SELECT is(pgtest.job_status((SELECT id FROM su)), 'running', 'the running job was not cleared');
SELECT matches(pgclone.cancel((SELECT id FROM su)), 'cancel', 'cancel it');
SELECT is(pgclone.wait((SELECT id FROM su)), 'cancelled', 'and it ends cancelled');

DROP TABLE ids, a_states, a_before, a_clear, a_after, a_gone, a2, a2_clear, a3_clear, su, su_before, su_clear;
DROP SCHEMA IF EXISTS jobs CASCADE;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM pgclone_jobs_clear_a, pgclone_jobs_clear_b;
REVOKE ALL ON SCHEMA pgclone FROM pgclone_jobs_clear_a, pgclone_jobs_clear_b;
DROP ROLE pgclone_jobs_clear_a;
DROP ROLE pgclone_jobs_clear_b;
SELECT * FROM finish();
