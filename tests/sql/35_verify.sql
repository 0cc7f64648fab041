-- pgclone.verify(): its SQL surface (three overloads, result columns,
-- privileges, comments), its argument and option errors before the agent is
-- asked, and a verify of a fresh clone of the small schema clash
-- (tests/fixtures/61_schema_small.sql): every table ✓ with its exact counts.
-- The changes on either side are in tests/integration/verify.sh.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS clash CASCADE;
SELECT plan(17);

SELECT has_function('pgclone', 'verify', ARRAY['text'], 'verify(conninfo) exists');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text'], 'verify(conninfo, schema_name) exists');
SELECT has_function('pgclone', 'verify', ARRAY['text', 'text', 'text'], 'verify(conninfo, schema_name, options) exists');
SELECT is((SELECT pg_get_function_result('pgclone.verify(text, text)'::regprocedure)),
  'TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text)',
  'the 2-argument form returns the five contract columns');
SELECT is((SELECT pg_get_function_result('pgclone.verify(text)'::regprocedure)),
  'TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text)',
  'so does the 1-argument form');
SELECT is((SELECT pg_get_function_result('pgclone.verify(text, text, text)'::regprocedure)),
  'TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text, detail text)',
  'the options form adds detail');
SELECT ok(NOT has_function_privilege('public', 'pgclone.verify(text, text, text)', 'EXECUTE')
          AND NOT has_function_privilege('public', 'pgclone.verify(text, text)', 'EXECUTE')
          AND NOT has_function_privilege('public', 'pgclone.verify(text)', 'EXECUTE'),
  'revoked from PUBLIC');
SELECT ok((SELECT bool_and(obj_description(p.oid, 'pg_proc') IS NOT NULL) FROM pg_proc p
           WHERE p.pronamespace = 'pgclone'::regnamespace AND p.proname = 'verify'), 'every overload has a comment');

SELECT throws_ok($$SELECT * FROM pgclone.verify(NULL, 'clash')$$, '22004', NULL, 'NULL conninfo: 22004');
SELECT throws_ok(format('SELECT * FROM pgclone.verify(%L, %L)', pgtest.src(), ''), '22023', NULL, 'empty schema name: 22023');
SELECT throws_ok(format('SELECT * FROM pgclone.verify(%L, %L, %L)', pgtest.src(), 'clash', '{"mode": "quick"}'),
  '22023', 'option "mode" must be "checksum" or "count"', 'bad mode: 22023 naming the key');
SELECT throws_ok(format('SELECT * FROM pgclone.verify(%L, %L, %L)', pgtest.src(), 'clash', '{"indexes": false}'),
  '22023', 'unknown option "indexes" of pgclone.verify', 'a clone option is no verify option: 22023');
SELECT throws_ok(format('SELECT * FROM pgclone.verify(%L, %L, %L)', pgtest.src(), 'clash', '{"mode": "count", "detail": 5}'),
  '22023', 'option "detail" needs "mode": "checksum"', 'detail in count mode: 22023');
SELECT throws_ok(format('SELECT * FROM pgclone.verify(%L, %L)', pgtest.src(), 'no_such_schema_here'),
  '3F000', 'source schema no_such_schema_here does not exist', 'missing source schema: 3F000');

SELECT lives_ok(format('SELECT pgclone.schema(%L, %L, true)', pgtest.src(), 'clash'), 'clash cloned');
CREATE TEMP TABLE v AS SELECT * FROM pgclone.verify(pgtest.src(), 'clash');
SELECT ok((SELECT count(*) > 0 AND bool_and(match = '✓') AND bool_and(source_rows = target_rows) FROM v),
  'after the clone every table of clash is ✓ with equal counts');
SELECT is((SELECT string_agg(table_name || '=' || target_rows, ',' ORDER BY table_name) FROM v),
  (SELECT 'extra_a=' || (SELECT count(*) FROM clash.extra_a) || ',extra_b=' || (SELECT count(*) FROM clash.extra_b)
       || ',items=' || (SELECT count(*) FROM clash.items) || ',log=' || (SELECT count(*) FROM clash.log)
       || ',tags=' || (SELECT count(*) FROM clash.tags)),
  'one row per table, target_rows the real counts');

DROP SCHEMA IF EXISTS clash CASCADE;
SELECT * FROM finish();
