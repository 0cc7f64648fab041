-- Quoting and ownership: a table "Weird ""Name""" in schema "Ünïcode Schema";
-- a clone made by a non-superuser role belongs to that role; a role does not
-- get more than it could do itself.
-- Source: tests/fixtures/40_names.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS "Ünïcode Schema" CASCADE;
DROP SCHEMA IF EXISTS own CASCADE;
DROP SCHEMA IF EXISTS locked CASCADE;
DROP ROLE IF EXISTS pgclone_tester;
DROP ROLE IF EXISTS pgclone_nogrant;
SELECT plan(24);

-- quoting
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'Ünïcode Schema', 'Weird "Name"')$$),
  '^OK:.*\m20 rows\M', 'table Weird "Name" in schema Ünïcode Schema cloned');
SELECT has_schema('Ünïcode Schema', 'schema "Ünïcode Schema" created');
SELECT has_table('Ünïcode Schema', 'Weird "Name"', 'table "Weird ""Name""" exists under its exact name');
SELECT columns_are('Ünïcode Schema', 'Weird "Name"', ARRAY['ID', 'Mixed Case', 'select', 'with space', 'Ω', 'a;b'],
  'column names kept exactly (case, spaces, reserved word, non-ASCII, semicolon)');
SELECT is((SELECT count(*) FROM "Ünïcode Schema"."Weird ""Name"""), 20::bigint, '20 rows');
SELECT is(pgtest.checksum($$SELECT "ID", "Mixed Case", "select", "with space", "Ω", "a;b" FROM "Ünïcode Schema"."Weird ""Name"""$$),
  pgtest.checksum($$SELECT i, 'Mc ' || i, i, 'dflt', round(i / 3.0, 2)::numeric(6,2), CASE WHEN i % 2 = 0 THEN 'x;y' END
                    FROM generate_series(1, 20) AS i$$), 'values intact');
SELECT is(pgtest.index_names('"Ünïcode Schema"."Weird ""Name"""'),
  ARRAY['Weird "Name"_pkey', 'Weird idx "1"', 'Weird uniq "U"'], 'index names with quotes kept');
SELECT is(pgtest.constraint_defs('"Ünïcode Schema"."Weird ""Name"""'),
  ARRAY['Weird "Name"_pkey: PRIMARY KEY ("ID")', 'Weird "check": CHECK (("select" >= 0))',
        'Weird uniq "U": UNIQUE ("Mixed Case")'], 'constraints with quoted names and columns');
SELECT is(obj_description('"Ünïcode Schema"."Weird ""Name"""'::regclass, 'pg_class'), 'it''s "weird"',
  'comment with quotes');
SELECT is(pgtest.seq_state('"Ünïcode Schema"."Weird ""Name"""', 'ID'), '20/true', 'identity position on a quoted column');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'Ünïcode Schema', 'Weird "Name"', true, 'Ánother "One"')$$),
  '^OK:', 'clone under a quoted target name');
SELECT has_table('Ünïcode Schema', 'Ánother "One"', 'quoted target name exists');

-- ownership: a non-superuser role granted the functions
CREATE ROLE pgclone_tester LOGIN;
CREATE ROLE pgclone_nogrant LOGIN;
GRANT CREATE ON DATABASE pgclone_test TO pgclone_tester;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO pgclone_tester;
GRANT USAGE ON SCHEMA pgclone TO pgclone_tester, pgclone_nogrant;
SET ROLE pgclone_tester;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src_pw(), 'own', 'owned_table')$$),
  '^OK:.*\m10 rows\M', 'a non-superuser with EXECUTE clones own.owned_table');
RESET ROLE;
SELECT is((SELECT tableowner::text FROM pg_tables WHERE schemaname = 'own' AND tablename = 'owned_table'),
  'pgclone_tester', 'the table belongs to the calling role');
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'own'),
  'pgclone_tester', 'the schema it created belongs to the calling role');
SELECT is((SELECT relowner::regrole::text FROM pg_class
            WHERE oid = pg_get_serial_sequence('own.owned_table', 'id')::regclass),
  'pgclone_tester', 'the identity sequence belongs to the calling role');
SELECT is((SELECT array_agg(DISTINCT c.relowner::regrole::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'own.owned_table'::regclass), ARRAY['pgclone_tester'],
  'the indexes belong to the calling role');
SELECT is(pgtest.seq_state('own.owned_table', 'id'), '10/true', 'identity position copied');

-- SET ROLE to a role without the grant: refused
SET ROLE pgclone_nogrant;
CREATE TEMP TABLE nogrant AS
  SELECT * FROM pgtest.run($$SELECT pgclone.table(pgtest.src_pw(), 'own', 'owned_table', true, 'by_nogrant')$$);
RESET ROLE;
SELECT is((SELECT sqlstate FROM nogrant), '42501', 'a role without EXECUTE gets 42501');

-- the role cannot create in a schema it has no CREATE privilege on
CREATE SCHEMA locked;
GRANT USAGE ON SCHEMA locked TO pgclone_tester;
SET ROLE pgclone_tester;
CREATE TEMP TABLE locked_o AS SELECT * FROM pgtest.run($$SELECT pgclone.table(pgtest.src_pw(), 'locked', 't')$$);
RESET ROLE;
SELECT is((SELECT sqlstate FROM locked_o), '42501',
  'cloning into a schema the caller may not create in: 42501 (the clone runs with the caller''s rights)');
SELECT hasnt_table('locked', 't', 'nothing was created in the locked schema');

-- the same role can clone into an existing schema it was granted CREATE on
GRANT CREATE ON SCHEMA locked TO pgclone_tester;
SET ROLE pgclone_tester;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src_pw(), 'locked', 't')$$),
  '^OK:.*\m1 rows?\M', 'with CREATE on the schema the clone works');
RESET ROLE;
SELECT table_owner_is('locked', 't', 'pgclone_tester', 'and the table belongs to the caller, not the schema owner');
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'locked'), 'postgres',
  'an existing schema keeps its owner');

DROP TABLE nogrant, locked_o;
DROP SCHEMA "Ünïcode Schema" CASCADE;
DROP SCHEMA own CASCADE;
DROP SCHEMA locked CASCADE;
REVOKE ALL ON DATABASE pgclone_test FROM pgclone_tester;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA pgclone FROM pgclone_tester;
REVOKE ALL ON SCHEMA pgclone FROM pgclone_tester, pgclone_nogrant;
DROP ROLE pgclone_tester;
DROP ROLE pgclone_nogrant;
SELECT * FROM finish();
