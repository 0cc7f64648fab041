-- Job visibility (issue 4): a job and its connection string are visible only
-- to the role that started it and to superusers; another role can neither
-- see, wait for, cancel nor resume it, and learns nothing about whether it
-- exists. Passwords never show, not even to the owner or a superuser.
-- Two non-superuser roles created here; source jobs.* (tests/fixtures/80_jobs.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP ROLE IF EXISTS pgclone_jobs_owner;
DROP ROLE IF EXISTS pgclone_jobs_other;
SELECT plan(37);

CREATE ROLE pgclone_jobs_owner;
CREATE ROLE pgclone_jobs_other;
GRANT USAGE ON SCHEMA pgclone TO pgclone_jobs_owner, pgclone_jobs_other;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_jobs_owner, pgclone_jobs_other;
CREATE SCHEMA jobs;
GRANT USAGE, CREATE ON SCHEMA jobs TO pgclone_jobs_owner, pgclone_jobs_other;
CREATE TEMP TABLE ids (what text PRIMARY KEY, id integer);
CREATE TEMP TABLE seen (who text, what text, val text);
GRANT ALL ON ids, seen TO PUBLIC;

-- The owner: a completed job and a cancelled one, both with the source role's
-- password (it contains "Secret_Pw") in the connection string, keyword and
-- URI form, and a running one.
SET ROLE pgclone_jobs_owner;
INSERT INTO ids VALUES ('done', pgclone.table_async(pgtest.src_pw(), 'jobs', 'one', true, 'one_owner'));
INSERT INTO ids VALUES ('stop', pgclone.table_async('postgresql://pgc_reader:'
                          || substring(pgtest.src_pw() FROM 'password=([^ ]+)') || '@127.0.0.1:'
                          || substring(pgtest.src_pw() FROM 'port=([0-9]+)') || '/pgclone_src',
                          'jobs', 'slow', true, 'slow_stop', pgtest.slow_opts(4000)));
INSERT INTO ids VALUES ('run', pgclone.table_async(pgtest.src_pw(), 'jobs', 'slow', true, 'slow_owner', pgtest.slow_opts(5000)));
SELECT pgclone.wait(id) FROM ids WHERE what = 'done';
SELECT pgclone.cancel(id), pgclone.wait(id) FROM ids WHERE what = 'stop';
RESET ROLE;
SET ROLE pgclone_jobs_other;
INSERT INTO ids VALUES ('other', pgclone.table_async(pgtest.src_pw(), 'jobs', 'one', true, 'one_other'));
SELECT pgclone.wait(id) FROM ids WHERE what = 'other';
RESET ROLE;

SELECT is((SELECT string_agg(what || '=' || pgtest.job_status(id), ' ' ORDER BY what) FROM ids),
  'done=completed other=completed run=running stop=cancelled', 'setup: the superuser sees all four jobs in their states');

------------------------------------------------------------------ the other role
SET ROLE pgclone_jobs_other;
INSERT INTO seen SELECT 'other', 'view', string_agg(job_id::text, ',' ORDER BY job_id) FROM pgclone.jobs_view;
INSERT INTO seen SELECT 'other', 'detail', string_agg(job_id::text, ',' ORDER BY job_id) FROM pgclone.progress_detail();
INSERT INTO seen SELECT 'other', 'jobs', string_agg(e ->> 'job_id', ',' ORDER BY (e ->> 'job_id')::int)
  FROM jsonb_array_elements(pgclone.jobs()::jsonb) e;
INSERT INTO seen SELECT 'other', f || ' ' || what, pgtest.err(format('SELECT pgclone.%s(%s)', f, id))
  FROM ids, unnest(ARRAY['progress', 'wait', 'cancel', 'resume']) f WHERE what IN ('done', 'stop', 'run');
INSERT INTO seen SELECT 'other', 'unknown', pgtest.err('SELECT pgclone.progress(2000000000)');
INSERT INTO seen SELECT 'other', 'clear', pgclone.clear_jobs()::text;
RESET ROLE;

SELECT is((SELECT val FROM seen WHERE who = 'other' AND what = 'view'), (SELECT id::text FROM ids WHERE what = 'other'),
  'jobs_view: the other role sees only its own job');
SELECT is((SELECT val FROM seen WHERE who = 'other' AND what = 'detail'), (SELECT id::text FROM ids WHERE what = 'other'),
  'progress_detail(): the same');
SELECT is((SELECT val FROM seen WHERE who = 'other' AND what = 'jobs'), (SELECT id::text FROM ids WHERE what = 'other'),
  'jobs(): the same');
SELECT is((SELECT val ~ '^42704: ' FROM seen WHERE who = 'other' AND what = f || ' ' || w), true,
          format('%s() of the owner''s %s job -> 42704', f, w))
  FROM unnest(ARRAY['progress', 'wait', 'cancel', 'resume']) f, unnest(ARRAY['done', 'stop', 'run']) w;
SELECT is((SELECT count(DISTINCT regexp_replace(val, '[0-9]+', 'N', 'g')) FROM seen WHERE who = 'other' AND (what ~ '^progress ' OR what = 'unknown')),
  1::bigint, 'the error is the same as for a job that does not exist (no existence leak)');
SELECT is((SELECT val FROM seen WHERE who = 'other' AND what = 'clear'), '1', 'the other role''s clear_jobs() forgets only its own job');
SELECT is(pgtest.job_status((SELECT id FROM ids WHERE what = 'run')), 'running', 'the owner''s job still runs after the other''s cancel()');
SELECT is(pgtest.job_status((SELECT id FROM ids WHERE what = 'done')) || ' ' || pgtest.job_status((SELECT id FROM ids WHERE what = 'stop')),
  'completed cancelled', 'and its finished jobs are still listed');
SELECT ok(NOT EXISTS (SELECT 1 FROM pgclone.jobs_view WHERE job_id > (SELECT id FROM ids WHERE what = 'other')),
  'the other role''s resume() attempts created no job');

------------------------------------------------------------------ the owner
SET ROLE pgclone_jobs_owner;
INSERT INTO seen SELECT 'owner', 'view', string_agg(job_id::text, ',' ORDER BY job_id) FROM pgclone.jobs_view;
INSERT INTO seen SELECT 'owner', 'jobs', pgclone.jobs();
INSERT INTO seen SELECT 'owner', 'progress ' || what, pgclone.progress(id) FROM ids WHERE what IN ('done', 'stop', 'run');
INSERT INTO seen SELECT 'owner', 'viewrows', string_agg(v::text, E'\n') FROM pgclone.jobs_view v;
INSERT INTO seen SELECT 'owner', 'other job', pgtest.err(format('SELECT pgclone.progress(%s)', (SELECT id FROM ids WHERE what = 'other')));
RESET ROLE;
SELECT is((SELECT val FROM seen WHERE who = 'owner' AND what = 'view'),
  (SELECT string_agg(id::text, ',' ORDER BY id) FROM ids WHERE what IN ('done', 'stop', 'run')), 'the owner sees its three jobs');
SELECT is((SELECT (val::jsonb ->> 'owner') FROM seen WHERE who = 'owner' AND what = 'progress done'), 'pgclone_jobs_owner',
  'progress() names the owner');
SELECT is((SELECT (val::jsonb ->> 'status') FROM seen WHERE who = 'owner' AND what = 'progress run'), 'running', 'progress() of its running job');
SELECT matches((SELECT val FROM seen WHERE who = 'owner' AND what = 'other job'), '^42704: ', 'the owner cannot see the other role''s job');
SELECT matches((SELECT val::jsonb ->> 'source' FROM seen WHERE who = 'owner' AND what = 'progress done'), 'dbname=pgclone_src',
  'the owner sees the source connection string');
SELECT is((SELECT count(*) FROM seen WHERE val ~ 'Secret_Pw'), 0::bigint,
  'no password in anything the roles saw (jobs(), progress(), jobs_view, errors)');

------------------------------------------------------------------ the superuser
SELECT is((SELECT count(*) FROM pgclone.jobs_view WHERE job_id IN (SELECT id FROM ids WHERE what <> 'other')), 3::bigint,
  'the superuser sees the owner''s jobs');
SELECT unalike(pgclone.jobs(), '%Secret_Pw%', 'jobs() as superuser shows no password');
SELECT unalike((SELECT string_agg(pgclone.progress(id), ' ') FROM ids WHERE what <> 'other'), '%Secret_Pw%',
  'progress() as superuser shows no password');
SELECT unalike((SELECT string_agg(v::text, ' ') FROM pgclone.jobs_view v), '%Secret_Pw%', 'jobs_view as superuser shows no password');
SELECT matches(pgtest.job((SELECT id FROM ids WHERE what = 'stop')) ->> 'source', 'pgclone_src', 'the URI source is shown (without password)');
SELECT matches(pgclone.cancel((SELECT id FROM ids WHERE what = 'run')), 'cancel', 'the superuser may cancel the owner''s job');
SELECT is(pgclone.wait((SELECT id FROM ids WHERE what = 'run')), 'cancelled', 'and it ends cancelled');
-- a failed job whose error could echo the connection string
CREATE TEMP TABLE dead AS SELECT pgclone.table_async(pgtest.dead_src() || ' password=Dead_Secret_Pw_5511', 'jobs', 'one') AS id;
SELECT is(pgclone.wait((SELECT id FROM dead)), 'failed', 'a job against an unreachable source fails');
SELECT is(pgtest.job((SELECT id FROM dead)) ->> 'error_sqlstate', '08001', 'with 08001');
SELECT unalike(pgclone.progress((SELECT id FROM dead)) || (SELECT string_agg(v::text, ' ') FROM pgclone.jobs_view v),
  '%Dead_Secret_Pw%', 'its error and source show no password');

DROP TABLE ids, seen, dead;
DROP SCHEMA IF EXISTS jobs CASCADE;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM pgclone_jobs_owner, pgclone_jobs_other;
REVOKE ALL ON SCHEMA pgclone FROM pgclone_jobs_owner, pgclone_jobs_other;
DROP ROLE pgclone_jobs_owner;
DROP ROLE pgclone_jobs_other;
SELECT * FROM finish();
