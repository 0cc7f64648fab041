-- A non-superuser role granted the functions: a schema clone does what that
-- role could do and no more, and everything it creates belongs to it.
-- Source: clash (tests/fixtures/61_schema_small.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS clash CASCADE;
DROP SCHEMA IF EXISTS fnlib CASCADE;
DROP ROLE IF EXISTS pgclone_schema_tester;
SELECT plan(14);

CREATE ROLE pgclone_schema_tester LOGIN;
GRANT USAGE ON SCHEMA pgclone TO pgclone_schema_tester;

-- without EXECUTE: refused
SET ROLE pgclone_schema_tester;
CREATE TEMP TABLE denied AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src_pw(), 'clash')$$);
RESET ROLE;
SELECT is((SELECT sqlstate FROM denied), '42501', 'a role without EXECUTE on pgclone.schema gets 42501');

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_schema_tester;

-- EXECUTE but no CREATE on the database: the clone runs with the caller's rights
SET ROLE pgclone_schema_tester;
CREATE TEMP TABLE nocreate AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src_pw(), 'clash')$$);
RESET ROLE;
SELECT is((SELECT sqlstate FROM nocreate), '42501', 'no CREATE on the database: 42501 (the caller may not create schemas)');
SELECT ok(pgtest.wait_quiet(5) AND NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'clash'), 'and no schema was created');

-- an existing empty schema the role may not create in
CREATE SCHEMA clash;
GRANT USAGE ON SCHEMA clash TO pgclone_schema_tester;
GRANT CREATE ON DATABASE pgclone_test TO pgclone_schema_tester;
SET ROLE pgclone_schema_tester;
CREATE TEMP TABLE locked AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src_pw(), 'clash')$$);
RESET ROLE;
SELECT is((SELECT sqlstate FROM locked), '42501', 'existing schema without CREATE privilege on it: 42501');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT is(pgtest.count_in('clash', 'objects'), 0::bigint, 'the existing schema is still empty');
DROP SCHEMA clash CASCADE;

-- with CREATE on the database: works, and the role owns everything
SET ROLE pgclone_schema_tester;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src_pw(), 'clash')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'the role clones clash');
RESET ROLE;
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'clash'), 'pgclone_schema_tester',
  'the schema belongs to the calling role');
SELECT is((SELECT array_agg(DISTINCT relowner::regrole::text) FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'clash')),
  ARRAY['pgclone_schema_tester'], 'every table, view, matview, sequence and index belongs to it');
SELECT is((SELECT array_agg(DISTINCT proowner::regrole::text) FROM pg_proc WHERE pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'clash')),
  ARRAY['pgclone_schema_tester'], 'every function belongs to it');
SELECT is((SELECT array_agg(DISTINCT typowner::regrole::text) FROM pg_type WHERE typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'clash')),
  ARRAY['pgclone_schema_tester'], 'every type belongs to it');
SELECT is(pgtest.try('SELECT count(*) FROM clash.items'), '10', 'with the rows');
SELECT is(pgtest.try($$SELECT pgtest.seq_pos('clash.counter')$$), '190/true', 'and the sequence position');

SET ROLE pgclone_schema_tester;
SELECT matches(pgtest.try($$SELECT pgclone.functions(pgtest.src_pw(), 'fnlib')$$), '^OK: cloned [0-9]+ functions of schema fnlib',
  'the role clones functions too');
RESET ROLE;

DROP TABLE denied, nocreate, locked;
DROP SCHEMA IF EXISTS clash CASCADE;
DROP SCHEMA IF EXISTS fnlib CASCADE;
REVOKE ALL ON DATABASE pgclone_test FROM pgclone_schema_tester;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM pgclone_schema_tester;
REVOKE ALL ON SCHEMA pgclone FROM pgclone_schema_tester;
DROP ROLE pgclone_schema_tester;
SELECT * FROM finish();
