-- Cancelling a waiting call with statement_timeout, and the opposite: a long
-- clone outlives pgclone.agent_timeout while the agent is alive and working.
-- Source: slow.big (tests/fixtures/50_slow.sql), 20000 rows; the "where"
-- option pg_sleep(0.001) makes a full clone take 20+ seconds.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS slow CASCADE;
SELECT plan(14);

CREATE TEMP TABLE jobs_before AS SELECT pgtest.jobs('cancelled') AS cancelled;

-- statement_timeout during the data phase
SET statement_timeout = '1500ms';
CREATE TEMP TABLE timed_out AS
  SELECT * FROM pgtest.run($$SELECT pgclone.table(pgtest.src(), 'slow', 'big', true, 'big_timeout',
                                '{"where": "pg_sleep(0.001) IS NOT NULL"}')$$);
RESET statement_timeout;
SELECT is((SELECT sqlstate FROM timed_out), '57014', 'statement_timeout on a slow clone: 57014');
SELECT matches((SELECT message FROM timed_out), 'statement timeout', 'the message is the statement timeout one');
SELECT cmp_ok((SELECT elapsed_s FROM timed_out), '<', 2.5::float8,
  'the call ended within a second of the 1.5 s timeout');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transaction ended within 5 s (rolled back)');
SELECT ok(NOT pgtest.rel_exists('slow', 'big_timeout'), 'no half-loaded slow.big_timeout is left');
SELECT ok(pgtest.wait_for(format('SELECT pgtest.jobs(''cancelled'') > %s', (SELECT cancelled FROM jobs_before)), 5),
  'the agent counts the job as cancelled (agent_status() jobs.cancelled went up within 5 s)');

-- the same session keeps working after a cancel (no wedged socket)
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'slow', 'big', true, 'big_after', '{"where": "id <= 100"}')$$),
  '^OK:.*\m100 rows\M', 'the next call in the same session works');

-- statement_timeout before the agent even started loading (right after submit)
SET statement_timeout = '50ms';
CREATE TEMP TABLE timed_out_early AS
  SELECT * FROM pgtest.run($$SELECT pgclone.table(pgtest.src(), 'slow', 'big', true, 'big_early',
                                '{"where": "pg_sleep(0.001) IS NOT NULL"}')$$);
RESET statement_timeout;
SELECT is((SELECT sqlstate FROM timed_out_early), '57014', 'a very early timeout: 57014 too');
SELECT ok(pgtest.wait_quiet(5), 'no target transaction left after the early cancel');
SELECT ok(NOT pgtest.rel_exists('slow', 'big_early'), 'no slow.big_early table');

-- a long clone outlives agent_timeout: heartbeats keep the call alive
SET pgclone.agent_timeout = '1s';
CREATE TEMP TABLE long_clone AS
  SELECT * FROM pgtest.run($$SELECT pgclone.table(pgtest.src(), 'slow', 'big', true, 'big_long',
                  '{"where": "CASE WHEN id <= 3000 THEN pg_sleep(0.001) IS NOT NULL ELSE false END"}')$$);
RESET pgclone.agent_timeout;
SELECT is((SELECT coalesce(result, sqlstate || ': ' || message) FROM long_clone) ~ '^OK:.*\m3000 rows\M', true,
  'a 3+ s clone with agent_timeout = 1s completes');
SELECT cmp_ok((SELECT elapsed_s FROM long_clone), '>', 2.0::float8, 'it really took longer than the timeout');
SELECT is((SELECT count(*) FROM slow.big_long), 3000::bigint, 'all 3000 rows are there');
SELECT is((SELECT count(*) FROM slow.big_long WHERE payload <> repeat(md5(id::text), 4)), 0::bigint,
  'with the right contents');

DROP SCHEMA IF EXISTS slow CASCADE;
SELECT * FROM finish();
