-- Objects the target cannot create make the whole call fail with the
-- server's SQLSTATE and "could not clone <kind> <name>: <server message>",
-- and the target is exactly as before the call: a schema the call created is
-- gone, an empty pre-existing schema is empty again, with replace/rename the
-- old schema is back under its name with its data, and no other schema
-- (staging, *_old) is left behind.
-- Sources (tests/fixtures/61_schema_small.sql):
--   err_pol   a policy TO pgclone_src_only, a role only the source cluster has
--   err_lang  a function in language plfake, which only the source database has
--   err_mid   400 functions, the 301st (f300) in language plfake
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS err_pol CASCADE;
DROP SCHEMA IF EXISTS err_lang CASCADE;
SELECT plan(40);

SELECT ok(NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgclone_src_only'), 'precondition: the role exists only on the source');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_language WHERE lanname = 'plfake'), 'precondition: the language exists only on the source');
CREATE TEMP TABLE schemas_before AS SELECT array_agg(nspname::text ORDER BY nspname) AS names FROM pg_namespace
  WHERE nspname !~ '^pg_(toast_)?temp_';
CREATE FUNCTION pg_temp.schemas_now() RETURNS text[] LANGUAGE sql VOLATILE AS $$
  SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace WHERE nspname !~ '^pg_(toast_)?temp_' $$;

-- ---------------------------------------------------------------- a policy for a missing role
-- schema missing on the target
CREATE TEMP TABLE o1 AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'err_pol')$$);
SELECT is((SELECT sqlstate FROM o1), '42704', 'policy TO a missing role: the server''s 42704 (undefined_object)');
SELECT matches((SELECT message FROM o1), '^could not clone policy [^:]*only_src[^:]*: role "pgclone_src_only" does not exist',
  'message: could not clone policy <name>: <server message>');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT hasnt_schema('err_pol', 'the schema the call created is gone');
SELECT is(pg_temp.schemas_now(), (SELECT names FROM schemas_before), 'no schema left behind at all');

-- existing, empty schema
CREATE SCHEMA err_pol;
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'err_pol')$$), '^42704: could not clone policy',
  'into an existing empty schema: 42704');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT has_schema('err_pol', 'the pre-existing schema is still there');
SELECT is(pgtest.count_in('err_pol', 'objects'), 0::bigint, 'and empty again (no table, type or function left)');

-- replace: the old schema comes back with its data
CREATE TABLE err_pol.t (old_id integer, note text);
INSERT INTO err_pol.t VALUES (1, 'old'), (2, 'older');
CREATE TEMP TABLE pol_old AS SELECT pgtest.schema_objects('err_pol') AS objects, pgtest.schema_data('err_pol') AS data;
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'err_pol', true, '{"conflict": "replace"}')$$),
  '^42704: could not clone policy', 'conflict=replace: the call fails with 42704');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT is(pgtest.schema_objects('err_pol'), (SELECT objects FROM pol_old), 'replace: the old schema is back with its objects');
SELECT is(pgtest.schema_data('err_pol'), (SELECT data FROM pol_old), 'replace: and its rows');
SELECT is(pg_temp.schemas_now(), ARRAY(SELECT unnest((SELECT names FROM schemas_before) || ARRAY['err_pol']) ORDER BY 1), 'replace: no other schema left behind');

-- rename: same
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'err_pol', true, '{"conflict": "rename"}')$$),
  '^42704: could not clone policy', 'conflict=rename: the call fails with 42704');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT is(pgtest.schema_objects('err_pol'), (SELECT objects FROM pol_old), 'rename: the old schema is back under its name');
SELECT is(pgtest.schema_data('err_pol'), (SELECT data FROM pol_old), 'rename: with its rows');
SELECT hasnt_schema('err_pol_old', 'rename: no err_pol_old left');
SELECT is(pg_temp.schemas_now(), ARRAY(SELECT unnest((SELECT names FROM schemas_before) || ARRAY['err_pol']) ORDER BY 1), 'rename: no other schema left behind');

-- skip does not even try
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'err_pol', true, '{"conflict": "skip"}')$$),
  '^SKIPPED:', 'conflict=skip on the existing schema: SKIPPED, nothing attempted');
-- without policies? the failing object is still reported when only constraints are off
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'err_pol', true, '{"conflict": "replace", "constraints": false}')$$),
  '^42704: could not clone policy', 'toggles do not hide a failing policy');
SELECT is(pgtest.schema_data('err_pol'), (SELECT data FROM pol_old), 'and the old schema is still intact');
DROP SCHEMA err_pol CASCADE;

-- ---------------------------------------------------------------- a function in a missing language
CREATE TEMP TABLE o2 AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'err_lang')$$);
SELECT is((SELECT sqlstate FROM o2), '42704', 'function in a missing language: the server''s 42704');
SELECT matches((SELECT message FROM o2), '^could not clone function [^:]*fake_fn[^:]*: language "plfake" does not exist',
  'message: could not clone function <name>: language "plfake" does not exist');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT hasnt_schema('err_lang', 'the schema the call created is gone (with the table it had loaded)');
SELECT is(pg_temp.schemas_now(), (SELECT names FROM schemas_before), 'no schema left behind');

CREATE SCHEMA err_lang;
CREATE TABLE err_lang.keep (id integer);
INSERT INTO err_lang.keep VALUES (42);
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'err_lang', true, '{"conflict": "replace", "parallel": 2}')$$),
  '^42704: could not clone function', 'conflict=replace: fails with 42704');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT is(pgtest.schema_data('err_lang'), 'keep 1 ' || md5('(42)'), 'replace: the old schema is back with its row');
SELECT hasnt_table('err_lang', 't', 'replace: nothing of the failed clone in it');

SELECT matches(pgtest.err($$SELECT pgclone.functions(pgtest.src(), 'err_lang')$$),
  '^42704: could not clone function [^:]*fake_fn', 'functions(): the same error');
SELECT is(pgtest.count_in('err_lang', 'objects'), 3::bigint, 'functions(): the schema still holds only its table (+ row and array types)');

DROP SCHEMA err_lang CASCADE;

-- ---------------------------------------------------------------- a failure half-way through a pipeline
-- The target receives DDL in pipelines; the error still names the object it
-- came from (the 301st of 400 functions), and nothing of the call remains.
CREATE TEMP TABLE o3 AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'err_mid')$$);
SELECT is((SELECT sqlstate FROM o3), '42704', 'a failure in the middle of a pipeline: the server''s 42704');
SELECT matches((SELECT message FROM o3), '^could not clone function [^:]*f300[^:]*: language "plfake" does not exist',
  'message: names function f300, not its neighbours in the pipeline');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT hasnt_schema('err_mid', 'the schema the call created is gone, with the 300 functions before it');

DROP TABLE o1, o2, o3, pol_old, schemas_before;
SELECT * FROM finish();
