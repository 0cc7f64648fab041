-- Agent down (issue 4): every job function and the view fail with the same
-- clear connection error (08001, DETAIL naming pgclone.agent_timeout, HINT
-- saying how to start the agent) within agent_timeout, instead of hanging
-- or answering from stale state. The agent endpoint is pointed at the
-- harness's reserved dead port (pgtest.dead_agent()).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT plan(39);

-- a job id the live agent knows
CREATE TEMP TABLE known AS SELECT pgclone.table_async(pgtest.src(), 'jobs', 'one', true, 'one_down') AS id;
SELECT is(pgclone.wait((SELECT id FROM known)), 'completed', 'setup: a job on the live agent');

DO $$ BEGIN PERFORM set_config('pgclone.agent_endpoint', pgtest.dead_agent(), false); END $$;
SET pgclone.agent_timeout = '1s';
CREATE TEMP TABLE down AS
  SELECT f, o.* FROM unnest(ARRAY[
      format('SELECT pgclone.progress(%s)', (SELECT id FROM known)),
      'SELECT pgclone.jobs()',
      'SELECT count(*) FROM pgclone.jobs_view',
      'SELECT count(*) FROM pgclone.progress_detail()',
      format('SELECT pgclone.wait(%s)', (SELECT id FROM known)),
      format('SELECT pgclone.wait(%s, ''10 s'')', (SELECT id FROM known)),
      format('SELECT pgclone.cancel(%s)', (SELECT id FROM known)),
      format('SELECT pgclone.resume(%s)', (SELECT id FROM known)),
      'SELECT pgclone.clear_jobs()',
      $$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'one', true, 'one_down2')$$,
      $$SELECT pgclone.schema_async(pgtest.src(), 'jobs_sch')$$,
      $$SELECT pgclone.database_async(pgtest.jobs_db_src())$$]) WITH ORDINALITY AS u(f, n),
    LATERAL pgtest.run(f) o ORDER BY n;
RESET pgclone.agent_timeout;
RESET pgclone.agent_endpoint;

SELECT is(sqlstate, '08001', f || ': 08001') FROM down;
SELECT ok(detail ~ 'pgclone\.agent_timeout' AND hint ~ 'pgclone-agent --listen', f || ': DETAIL names agent_timeout, HINT says how to start the agent')
  FROM down;
SELECT ok(elapsed_s < 2.5, format('%s: failed within agent_timeout (1 s) + slack (took %s s)', f, round(elapsed_s::numeric, 2))) FROM down;

SELECT is(pgtest.job_status((SELECT id FROM known)), 'completed', 'with the agent reachable again, the job is still listed');
SELECT ok(NOT pgtest.rel_exists('jobs', 'one_down2'), 'no job was submitted while the agent was unreachable');

DROP TABLE known, down;
DROP SCHEMA IF EXISTS jobs CASCADE;
SELECT * FROM finish();
