-- pgclone.table(): the plain path, every signature, data and ownership.
-- Source tables: tests/fixtures/10_basic.sql. Autocommit, cleans up at the end.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS basic CASCADE;
SELECT plan(24);

CREATE TEMP TABLE jobs_before AS SELECT pgtest.jobs('completed') AS completed;

-- 3-argument form: include_data defaults to true
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'items')$$),
  '^OK:.*\m1000 rows\M', 'table(conninfo, schema, table) clones basic.items with its 1000 rows');
SELECT has_schema('basic', 'the source schema was created on the target');
SELECT has_table('basic', 'items', 'basic.items exists on the target');
SELECT is((SELECT count(*) FROM basic.items), 1000::bigint, 'all 1000 rows arrived');
SELECT is(pgtest.checksum('SELECT * FROM basic.items'),
  pgtest.checksum($$SELECT i, 'item ' || i, round(i * 1.25, 2)::numeric(10,2), date '2024-01-01' + i
                    FROM generate_series(1, 1000) AS i$$),
  'row contents are identical to the source rows');
SELECT columns_are('basic', 'items', ARRAY['id', 'name', 'price', 'created'], 'same columns, same names');
SELECT is((SELECT array_agg(attname || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = 'basic.items'::regclass AND attnum > 0 AND NOT attisdropped),
  ARRAY['id integer', 'name text', 'price numeric(10,2)', 'created date'],
  'same column order and exact types');
SELECT col_not_null('basic', 'items', 'name', 'NOT NULL kept');
SELECT col_default_is('basic', 'items', 'created', '2024-01-01'::date::text, 'DEFAULT kept');
SELECT col_is_pk('basic', 'items', 'id', 'PRIMARY KEY kept');
SELECT has_index('basic', 'items', 'items_name_idx', ARRAY['name'], 'plain index kept under its name');
SELECT is(obj_description('basic.items'::regclass, 'pg_class'), 'a plain table', 'table comment kept');
SELECT table_owner_is('basic', 'items', current_user, 'the clone belongs to the calling role');
SELECT ok(pgtest.wait_for(format('SELECT pgtest.jobs(''completed'') > %s', (SELECT completed FROM jobs_before)), 5),
  'agent_status() counts the completed job');

-- 4-argument form on an empty table
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'empty', true)$$),
  '^OK:.*\m0 rows\M', 'table(..., include_data => true) on an empty table says 0 rows');
SELECT has_table('basic', 'empty', 'basic.empty exists');

-- include_data = false, under another name (5-argument form)
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', false, 'items_nodata')$$),
  '^OK:', 'table(..., false, target_table_name) clones the structure only');
SELECT is((SELECT count(*) FROM basic.items_nodata), 0::bigint, 'no rows without include_data');
SELECT col_is_pk('basic', 'items_nodata', 'id', 'structure-only clone has its primary key');
SELECT is(cardinality(pgtest.index_names('basic.items_nodata')), 2, 'structure-only clone has both indexes');

-- 5-argument form with a NULL target name = same name
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'victim', true, NULL)$$),
  '^OK:.*\m3 rows\M', 'a NULL target_table_name means the source name');
SELECT results_eq('SELECT id FROM basic.victim ORDER BY id', ARRAY[1, 2, 3], 'basic.victim has its rows');

-- 6-argument form with NULL options = defaults
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'items_opt_null', NULL)$$),
  '^OK:.*\m1000 rows\M', 'NULL options mean the defaults');
SELECT is((SELECT count(*) FROM basic.items_opt_null), 1000::bigint, 'rows cloned with NULL options');

DROP SCHEMA basic CASCADE;
SELECT * FROM finish();
