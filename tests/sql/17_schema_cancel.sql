-- Cancelling a schema clone with statement_timeout: 57014 promptly, and after
-- a short wait the target is as before (a schema the call created is gone; an
-- old schema under conflict=replace is back with its data).
-- Source: slowsch (tests/fixtures/61_schema_small.sql): a CHECK on slowsch.t
-- calls slowsch.slow_ok(), which sleeps 5 ms per row on any database but the
-- source's, so loading its 3000 rows takes ~15 s on the target. slowidx:
-- its expression index takes ~15 s to build on the target.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS slowsch CASCADE;
SELECT plan(23);

CREATE TEMP TABLE jobs_before AS SELECT pgtest.jobs('cancelled') AS cancelled;

SET statement_timeout = '2s';
CREATE TEMP TABLE timed_out AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'slowsch')$$);
RESET statement_timeout;
SELECT is((SELECT sqlstate FROM timed_out), '57014', 'statement_timeout during a schema clone: 57014');
SELECT cmp_ok((SELECT elapsed_s FROM timed_out), '<', 3.0::float8, 'the call ended within a second of the 2 s timeout');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended within 5 s');
SELECT hasnt_schema('slowsch', 'the schema the call created is gone');
SELECT ok(pgtest.wait_for(format('SELECT pgtest.jobs(''cancelled'') > %s', (SELECT cancelled FROM jobs_before)), 5),
  'the agent counts the job as cancelled');

-- with an old schema and conflict=replace
CREATE SCHEMA slowsch;
CREATE TABLE slowsch.t (old integer);
INSERT INTO slowsch.t VALUES (1), (2);
SET statement_timeout = '2s';
CREATE TEMP TABLE timed_out2 AS
  SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'slowsch', true, '{"conflict": "replace", "parallel": 2}')$$);
RESET statement_timeout;
SELECT is((SELECT sqlstate FROM timed_out2), '57014', 'replace, cancelled: 57014');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended within 5 s');
SELECT columns_are('slowsch', 't', ARRAY['old'], 'replace, cancelled: the old table is back');
SELECT is((SELECT array_agg(old ORDER BY old) FROM slowsch.t), ARRAY[1, 2], 'with its rows');
SELECT is(pgtest.table_names('slowsch'), ARRAY['t'], 'and nothing of the cancelled clone');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname LIKE 'slowsch_%'), 'no slowsch_old or staging schema left');
DROP SCHEMA slowsch CASCADE;

-- the same session works afterwards; the tables are slow only to load
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'slowsch', true, '{"exclude_tables": ["t", "t2", "t3"]}')$$),
  '^OK: cloned schema slowsch: 1 tables? \(100 rows\)', 'the next call in the same session works');
SELECT is((SELECT count(*) FROM slowsch.other), 100::bigint, 'with its rows');

-- cancelled while the target builds an index the agent sent in a pipeline
SET statement_timeout = '2s';
CREATE TEMP TABLE timed_out3 AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'slowidx')$$);
RESET statement_timeout;
SELECT is((SELECT sqlstate FROM timed_out3), '57014', 'cancelled during a pipelined index build: 57014');
SELECT cmp_ok((SELECT elapsed_s FROM timed_out3), '<', 3.0::float8, 'the call ended within a second of the 2 s timeout');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended within 5 s (the index build was stopped)');
SELECT hasnt_schema('slowidx', 'the schema the call created is gone');

-- the target backend dies while it runs a pipeline: the job fails naming the
-- step, and nothing of it is left
CREATE TEMP TABLE dying AS SELECT pgclone.schema_async(pgtest.src(), 'slowidx') AS id;
SELECT ok(pgtest.wait_for($$SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgclone-agent'
                                            AND query LIKE 'CREATE INDEX t_slow_key%')$$, 10),
  'the agent''s session builds the slow index');
SELECT ok((SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity
           WHERE application_name = 'pgclone-agent' AND query LIKE 'CREATE INDEX t_slow_key%'), 'that backend is terminated');
SELECT is(pgclone.wait((SELECT id FROM dying), '20 s'), 'failed', 'the job fails');
SELECT matches(pgtest.job((SELECT id FROM dying)) ->> 'error', '^could not clone index slowidx.t_slow_key: terminating connection due to administrator command',
  'its error names the index whose statement the server was running');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT hasnt_schema('slowidx', 'the schema the job created is gone');

DROP TABLE timed_out, timed_out2, timed_out3, dying, jobs_before;
DROP SCHEMA IF EXISTS slowsch CASCADE;
SELECT * FROM finish();
