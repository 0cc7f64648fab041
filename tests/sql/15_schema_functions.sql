-- pgclone.functions(conninfo, schema): only the functions, procedures and
-- aggregates of a schema (CREATE OR REPLACE; the schema is created if
-- missing); tables, views, sequences and types stay behind.
-- Source: fnlib (tests/fixtures/61_schema_small.sql): add(int,int),
-- add(numeric,numeric), sq (SQL-standard body), greet (OUT + DEFAULT), series
-- (RETURNS TABLE), whoami (SECURITY DEFINER + SET), mul_acc, product
-- (aggregate), bump (procedure); plus a table, a view, a sequence, an enum.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fnlib CASCADE;
SELECT plan(24);

SELECT matches(pgtest.try($$SELECT pgclone.functions(pgtest.src(), 'fnlib')$$),
  '^OK: cloned [0-9]+ functions of schema fnlib', 'functions(): OK: cloned N functions of schema fnlib');
SELECT has_schema('fnlib', 'the missing schema was created');
SELECT is((SELECT array_agg(x ORDER BY x) FROM (SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || p.prokind::text
             FROM pg_proc p WHERE p.pronamespace = 'fnlib'::regnamespace) s(x)),
  ARRAY['add(a integer, b integer) f', 'add(a numeric, b numeric) f', 'bump(INOUT n integer, IN step integer) p',
        'greet(who text, OUT msg text) f', 'mul_acc(state numeric, x numeric) f', 'product(numeric) a', 'series(n integer) f',
        'sq(x integer) f', 'whoami() f'],
  'every function, overload, procedure and aggregate');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'fnlib'::regnamespace), 0::bigint,
  'no table, view, sequence or index came along');
SELECT is((SELECT count(*) FROM pg_type WHERE typnamespace = 'fnlib'::regnamespace), 0::bigint, 'no type came along');
SELECT is(fnlib.add(1, 2), 3, 'add(int, int) works');
SELECT is(fnlib.add(1.0, 2.0), 3.5, 'the overload add(numeric, numeric) is the right one');
SELECT is(fnlib.sq(7), 49, 'SQL-standard body works');
SELECT is((SELECT prosqlbody IS NOT NULL FROM pg_proc WHERE oid = 'fnlib.sq(integer)'::regprocedure), true,
  'and is still a SQL-standard body');
SELECT is(fnlib.greet(), 'hello world', 'parameter DEFAULT kept');
SELECT is(pg_get_function_arguments('fnlib.greet(text)'::regprocedure), 'who text DEFAULT ''world''::text, OUT msg text',
  'OUT parameter and default in the signature');
SELECT is((SELECT count(*) FROM fnlib.series(4)), 4::bigint, 'RETURNS TABLE works');
SELECT is((SELECT prorows FROM pg_proc WHERE oid = 'fnlib.series(integer)'::regprocedure), 10::real, 'ROWS estimate kept');
SELECT is((SELECT prosecdef || ' ' || array_to_string(proconfig, ',') FROM pg_proc WHERE oid = 'fnlib.whoami()'::regprocedure),
  'true search_path=pg_catalog', 'SECURITY DEFINER and SET search_path kept');
SELECT is((SELECT fnlib.product(x) FROM (VALUES (2.0), (3.0), (4.0)) v(x)), 24::numeric, 'the aggregate works');
CREATE TEMP TABLE bumped (n integer);
DO $$ DECLARE n integer := 5; BEGIN CALL fnlib.bump(n, 3); INSERT INTO bumped VALUES (n); END $$;
SELECT is((SELECT n FROM bumped), 8, 'the procedure works (INOUT, default)');
SELECT is(obj_description('fnlib.greet(text)'::regprocedure, 'pg_proc') || ' ' || obj_description('fnlib.product(numeric)'::regprocedure, 'pg_proc'),
  'says hello Π', 'comments on a function and an aggregate');
SELECT is((SELECT proowner::regrole::text FROM pg_proc WHERE oid = 'fnlib.add(integer, integer)'::regprocedure), current_user::text,
  'the functions belong to the caller');

-- into an existing schema that holds other objects: CREATE OR REPLACE
DROP SCHEMA fnlib CASCADE;
CREATE SCHEMA fnlib;
CREATE TABLE fnlib.mine (id integer);
INSERT INTO fnlib.mine VALUES (1);
CREATE FUNCTION fnlib.add(a integer, b integer) RETURNS integer LANGUAGE sql RETURN a - b;
CREATE FUNCTION fnlib.local_only() RETURNS integer LANGUAGE sql RETURN 1;
SELECT matches(pgtest.try($$SELECT pgclone.functions(pgtest.src(), 'fnlib')$$),
  '^OK: cloned [0-9]+ functions of schema fnlib', 'functions() into an existing schema with objects: OK');
SELECT is(fnlib.add(1, 2), 3, 'an existing function of the same signature was replaced');
SELECT is((SELECT count(*) FROM fnlib.mine), 1::bigint, 'the existing table is untouched');
SELECT is(fnlib.local_only(), 1, 'a function only the target has is untouched');
SELECT matches(pgtest.try($$SELECT pgclone.functions(pgtest.src(), 'fnlib')$$),
  '^OK: cloned [0-9]+ functions of schema fnlib', 'functions() a second time: OK');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'fnlib'::regnamespace), 10::bigint,
  'after twice: the nine functions + the local one, no duplicates');

DROP TABLE bumped;
DROP SCHEMA fnlib CASCADE;
SELECT * FROM finish();
