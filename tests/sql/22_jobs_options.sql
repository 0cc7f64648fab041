-- One engine (issue 4): every option behaves the same sync and async. Each
-- case clones jobs.people synchronously as p_s* and with table_async() as
-- p_a*, then compares columns, indexes, constraints and rows (names with the
-- table's own name replaced). Schema options likewise with jobs_sch.
-- Source: tests/fixtures/80_jobs.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP SCHEMA IF EXISTS jobs_sch CASCADE;
SELECT plan(43);
CREATE SCHEMA jobs;

-- Clone synchronously and asynchronously with the same options; returns
-- "<sync result or error> | <async final status>".
CREATE FUNCTION pg_temp.both(sync_name text, async_name text, opts text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE s text; a text; id integer;
BEGIN
  s := pgtest.try(format('SELECT pgclone.table(pgtest.src(), %L, %L, true, %L, %L)', 'jobs', 'people', sync_name, opts));
  a := pgtest.try(format('SELECT pgclone.table_async(pgtest.src(), %L, %L, true, %L, %L)', 'jobs', 'people', async_name, opts));
  IF a ~ '^[0-9]+$' THEN
    id := a::integer;
    a := pgclone.wait(id);
    IF a = 'failed' THEN a := a || ' ' || coalesce(pgtest.job(id) ->> 'error_sqlstate', '?'); END IF;
  END IF;
  RETURN s || ' | ' || a;
END $$;

-- Same shape and rows?
CREATE FUNCTION pg_temp.same(s text, a text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE r text := '';
BEGIN
  IF pgtest.column_defs(('jobs.' || s)::regclass) IS DISTINCT FROM pgtest.column_defs(('jobs.' || a)::regclass) THEN r := r || ' columns'; END IF;
  IF pgtest.index_shape(('jobs.' || s)::regclass) IS DISTINCT FROM pgtest.index_shape(('jobs.' || a)::regclass) THEN r := r || ' indexes'; END IF;
  IF pgtest.constraint_shape(('jobs.' || s)::regclass) IS DISTINCT FROM pgtest.constraint_shape(('jobs.' || a)::regclass) THEN r := r || ' constraints'; END IF;
  IF pgtest.checksum('SELECT * FROM jobs.' || s) IS DISTINCT FROM pgtest.checksum('SELECT * FROM jobs.' || a) THEN r := r || ' rows'; END IF;
  RETURN CASE WHEN r = '' THEN 'same' ELSE 'differ:' || r END;
END $$;

------------------------------------------------------------------ columns + where
SELECT matches(pg_temp.both('p_s', 'p_a', '{"columns": ["id", "name", "age"], "where": "age > 40"}'),
  '^OK: cloned jobs\.people as jobs\.p_s, 147 rows.* \| completed$', 'columns + where: sync OK with 147 rows, async completed');
SELECT is(pg_temp.same('p_s', 'p_a'), 'same', 'columns + where: same columns, indexes, constraints and rows');
SELECT is(pgtest.column_defs('jobs.p_a'), ARRAY['id integer not null', 'name text not null', 'age integer'], 'async: only the three columns');
SELECT is((SELECT count(*) FROM jobs.p_a), 147::bigint, 'async: the 147 rows with age > 40');
SELECT is((SELECT count(*) FROM jobs.p_a WHERE age <= 40), 0::bigint, 'async: none with age <= 40');
SELECT is(pgtest.index_shape('jobs.p_a'), ARRAY['CREATE INDEX TBL_age_idx ON jobs.TBL USING btree (age) INCLUDE (name)',
  'CREATE UNIQUE INDEX TBL_pkey ON jobs.TBL USING btree (id)'], 'async: indexes needing left-out columns are left out');
SELECT is((SELECT rows_copied FROM pgclone.jobs_view WHERE job_id = (SELECT max(job_id) FROM pgclone.jobs_view)), 147::bigint,
  'async: the job counted the filtered rows (147)');

------------------------------------------------------------------ toggles
SELECT matches(pg_temp.both('p_s2', 'p_a2', '{"indexes": false, "constraints": false, "triggers": false}'),
  '^OK: cloned jobs\.people as jobs\.p_s2, 300 rows, 0 indexes, 0 constraints.* \| completed$', 'toggles off: sync OK, async completed');
SELECT is(pg_temp.same('p_s2', 'p_a2'), 'same', 'toggles off: same result');
SELECT is(pgtest.index_shape('jobs.p_a2'), '{}'::text[], 'async: no indexes');
SELECT is(pgtest.constraint_shape('jobs.p_a2'), '{}'::text[], 'async: no constraints');
SELECT is((SELECT count(*) FROM jobs.p_a2), 300::bigint, 'async: all 300 rows');

------------------------------------------------------------------ conflict
SELECT matches(pg_temp.both('p_s', 'p_a', NULL), '^ERROR 42P07: table jobs\.p_s already exists on the target.* \| failed 42P07$',
  'conflict error (default): sync 42P07, async job failed with 42P07');
SELECT is(pg_temp.both('p_s', 'p_a', '{"conflict": "error"}') ~ '^ERROR 42P07: .* \| failed 42P07$', true,
  'conflict error (explicit): the same');
SELECT matches(pg_temp.both('p_s', 'p_a', '{"conflict": "skip"}'), '^SKIPPED: .* \| completed$', 'conflict skip: sync SKIPPED, async completed');
SELECT is(pg_temp.same('p_s', 'p_a'), 'same', 'conflict skip: both tables still the same');
SELECT is((SELECT count(*) FROM jobs.p_a), 147::bigint, 'conflict skip: the async target kept its 147 rows');
SELECT is(pgtest.column_defs('jobs.p_a'), ARRAY['id integer not null', 'name text not null', 'age integer'],
  'conflict skip: and its three columns');

SELECT matches(pg_temp.both('p_s', 'p_a', '{"conflict": "replace"}'), '^OK: .*300 rows.* \| completed$',
  'conflict replace: sync OK, async completed');
SELECT is(pg_temp.same('p_s', 'p_a'), 'same', 'conflict replace: same result');
SELECT is((SELECT count(*) FROM jobs.p_a), 300::bigint, 'conflict replace: async target has the 300 rows');
SELECT is(array_length(pgtest.column_defs('jobs.p_a'), 1), 5, 'conflict replace: and all 5 columns');
SELECT ok(NOT pgtest.rel_exists('jobs', 'p_a_old') AND NOT pgtest.rel_exists('jobs', 'p_s_old'), 'conflict replace: nothing kept aside');

-- make the two differ from the source again, then rename
SELECT pgclone.table(pgtest.src(), 'jobs', 'people', true, 'p_s', '{"conflict": "replace", "where": "id <= 10"}');
SELECT pgclone.wait(pgclone.table_async(pgtest.src(), 'jobs', 'people', true, 'p_a', '{"conflict": "replace", "where": "id <= 10"}'));
SELECT matches(pg_temp.both('p_s', 'p_a', '{"conflict": "rename"}'), '^OK: .*300 rows.* \| completed$',
  'conflict rename: sync OK, async completed');
SELECT is(pg_temp.same('p_s', 'p_a'), 'same', 'conflict rename: same new tables');
SELECT is(pg_temp.same('p_s_old', 'p_a_old'), 'same', 'conflict rename: same tables moved aside');
SELECT is((SELECT count(*) FROM jobs.p_a_old) || ' ' || (SELECT count(*) FROM jobs.p_a), '10 300',
  'conflict rename: async: the old table (10 rows) is p_a_old, the new one has 300');
SELECT is(pgtest.index_names('jobs.p_a_old'), ARRAY['p_a_old_age_idx', 'p_a_old_city_idx', 'p_a_old_email_key', 'p_a_old_pkey'],
  'conflict rename: async: the old table''s indexes were renamed along');

------------------------------------------------------------------ rejected options
SELECT is((SELECT string_agg(split_part(pgtest.err(q), ':', 1), ' ') FROM unnest(ARRAY[
    $$SELECT pgclone.table(pgtest.src(), 'jobs', 'people', true, 'p_m', '{"mask": {"name": "nmae"}}')$$,
    $$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'people', true, 'p_m', '{"mask": {"name": "nmae"}}')$$]) q),
  '22023 22023', 'mask: an unknown strategy is the same SQLSTATE sync and async');
SELECT is((SELECT string_agg(split_part(pgtest.err(q), ':', 1), ' ') FROM unnest(ARRAY[
    $$SELECT pgclone.table(pgtest.src(), 'jobs', 'people', true, 'p_m', '{"where": 5}')$$,
    $$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'people', true, 'p_m', '{"where": 5}')$$,
    $$SELECT pgclone.schema(pgtest.src(), 'jobs_sch', true, '{"parallel": "two"}')$$,
    $$SELECT pgclone.schema_async(pgtest.src(), 'jobs_sch', true, '{"parallel": "two"}')$$]) q),
  '22023 22023 22023 22023', 'wrong option types: 22023 sync and async');
SELECT ok(NOT pgtest.rel_exists('jobs', 'p_m') AND NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'jobs_sch'),
  'and nothing was created');
SELECT is(pgtest.err($$SELECT pgclone.table_async(pgtest.src(), 'jobs', 'nope')$$) ~ '^00000: [0-9]+$', true,
  'a missing source table: table_async still returns a job id');
SELECT is(pgtest.try(format('SELECT pgclone.wait(%s)', (SELECT max(job_id) FROM pgclone.jobs_view))) || ' '
          || (pgtest.job((SELECT max(job_id) FROM pgclone.jobs_view)) ->> 'error_sqlstate'), 'failed 42P01',
  'and the job fails with 42P01, like table() does');
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'jobs', 'nope')$$) ~ '^42P01: ', true, 'table(): 42P01');

------------------------------------------------------------------ schema options: tables / exclude_tables / indexes
CREATE TEMP TABLE sch (mode text, result text, objects text[], data text);
INSERT INTO sch SELECT 'sync', pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'jobs_sch', true, '{"exclude_tables": ["t"], "indexes": false}')$$),
  pgtest.schema_objects('jobs_sch'), pgtest.schema_data('jobs_sch');
DROP SCHEMA jobs_sch CASCADE;
INSERT INTO sch SELECT 'async', pgclone.wait(pgclone.schema_async(pgtest.src(), 'jobs_sch', true, '{"exclude_tables": ["t"], "indexes": false}')),
  pgtest.schema_objects('jobs_sch'), pgtest.schema_data('jobs_sch');
SELECT matches((SELECT result FROM sch WHERE mode = 'sync'), '^OK: cloned schema jobs_sch: 1 tables? \(50 rows\)', 'schema with exclude_tables: sync OK, 1 table');
SELECT is((SELECT result FROM sch WHERE mode = 'async'), 'completed', 'schema with exclude_tables: async completed');
SELECT is((SELECT objects FROM sch WHERE mode = 'async'), (SELECT objects FROM sch WHERE mode = 'sync'), 'the same objects');
SELECT is((SELECT data FROM sch WHERE mode = 'async'), (SELECT data FROM sch WHERE mode = 'sync'), 'the same rows');
SELECT ok(NOT pgtest.rel_exists('jobs_sch', 't'), 'the excluded table is not there');
DROP SCHEMA jobs_sch CASCADE;
DELETE FROM sch;
INSERT INTO sch SELECT 'sync', pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'jobs_sch', true, '{"tables": ["u"], "consistent": false}')$$),
  pgtest.schema_objects('jobs_sch'), pgtest.schema_data('jobs_sch');
DROP SCHEMA jobs_sch CASCADE;
INSERT INTO sch SELECT 'async', pgclone.wait(pgclone.schema_async(pgtest.src(), 'jobs_sch', true, '{"tables": ["u"], "consistent": false}')),
  pgtest.schema_objects('jobs_sch'), pgtest.schema_data('jobs_sch');
SELECT is((SELECT result FROM sch WHERE mode = 'async'), 'completed', 'schema with tables + consistent false: async completed');
SELECT is((SELECT objects FROM sch WHERE mode = 'async'), (SELECT objects FROM sch WHERE mode = 'sync'), 'the same objects as sync');
SELECT is((SELECT data FROM sch WHERE mode = 'async'), (SELECT data FROM sch WHERE mode = 'sync'), 'the same rows as sync');
SELECT is(pgtest.schema_data('jobs_sch'), 'u 50 ' || md5((SELECT string_agg(format('(%s,u%s)', g, g), ',' ORDER BY format('(%s,u%s)', g, g)) FROM generate_series(1, 50) g)),
  'jobs_sch.u has the source''s 50 rows');

DROP TABLE sch;
DROP SCHEMA IF EXISTS jobs CASCADE;
DROP SCHEMA IF EXISTS jobs_sch CASCADE;
SELECT * FROM finish();
