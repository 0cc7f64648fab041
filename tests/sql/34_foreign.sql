-- Foreign data and typed tables in schema clones: wrappers, servers, user
-- mappings (passwords only for a superuser's clone, never in results), foreign
-- tables (queryable through the cloned server, never copied), a foreign
-- partition, a typed table OF its type; the error paths.
-- Source: tests/fixtures/65_foreign.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fdata CASCADE;
DROP SERVER IF EXISTS fdata_loop CASCADE;
DROP SERVER IF EXISTS fdata_plain_srv CASCADE;
DROP FOREIGN DATA WRAPPER IF EXISTS fdata_plain CASCADE;
DROP EXTENSION IF EXISTS postgres_fdw CASCADE;
DO $$BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fdata_caller') THEN DROP OWNED BY fdata_caller; DROP ROLE fdata_caller; END IF;
END$$;
SELECT plan(36);

CREATE ROLE fdata_caller LOGIN;
GRANT USAGE ON SCHEMA pgclone TO fdata_caller;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgclone TO fdata_caller;
GRANT CREATE ON DATABASE pgclone_test TO fdata_caller;

-- table() refuses a foreign table (schema() clones it).
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'fdata', 'remote')$$),
  '^0A000: cloning foreign table "fdata\.remote" is not supported by table\(\)',
  'table() of a foreign table: 0A000');

-- A non-superuser may not create the extension's or the plain wrapper: the
-- clone fails with the server's 42501 and leaves nothing behind.
SET ROLE fdata_caller;
CREATE TEMP TABLE denied AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src_pw(), 'fdata')$$);
RESET ROLE;
SELECT is((SELECT sqlstate FROM denied), '42501', 'a non-superuser whose clone needs a new wrapper: 42501');
SELECT matches((SELECT message FROM denied), '^could not clone (extension postgres_fdw|foreign-data wrapper fdata_plain): permission denied',
  'the error names what could not be created');
SELECT ok(pgtest.wait_quiet(5) AND NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'fdata')
          AND NOT EXISTS (SELECT 1 FROM pg_foreign_server WHERE srvname LIKE 'fdata%'),
  'nothing was left behind: no schema, no server');

-- With the wrappers in place (a superuser's job), the non-superuser's clone
-- creates the servers it needs, without the user mappings' passwords.
CREATE EXTENSION postgres_fdw;
CREATE FOREIGN DATA WRAPPER fdata_plain;
GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO fdata_caller;
GRANT USAGE ON FOREIGN DATA WRAPPER fdata_plain TO fdata_caller;
SET ROLE fdata_caller;
CREATE TEMP TABLE as_caller AS SELECT pgtest.all_text($$SELECT pgclone.schema(pgtest.src_pw(), 'fdata')$$) AS t;
RESET ROLE;
SELECT matches((SELECT t FROM as_caller),
  '^00000 \| OK: cloned schema fdata: 5 tables \(8 rows\), .*3 foreign tables, 2 foreign servers, 2 user mappings$',
  'a non-superuser''s clone: 5 tables (8 rows), 3 foreign tables, 2 servers, 2 user mappings (the existing wrapper reused)');
SELECT is((SELECT srvowner::regrole::text FROM pg_foreign_server WHERE srvname = 'fdata_loop'), 'fdata_caller',
  'the server belongs to the caller');
SELECT is((SELECT umoptions::text FROM pg_user_mappings WHERE srvname = 'fdata_loop' AND usename = 'postgres'),
  '{user=postgres}', 'the password of a user mapping is not cloned by a non-superuser');
SELECT is((SELECT umoptions::text FROM pg_user_mappings WHERE srvname = 'fdata_loop' AND usename = 'public'),
  '{user=fdata_nobody}', 'nor its sslpassword');
SELECT is((SELECT count(*) FROM pg_user_mappings WHERE srvname = 'fdata_loop' AND usename = 'fdata_source_only'), 0::bigint,
  'a mapping for a role the target lacks is skipped');
SELECT is((SELECT fdwoptions FROM pg_foreign_data_wrapper WHERE fdwname = 'fdata_plain'), NULL,
  'the existing wrapper is used as it is (its options untouched)');
SELECT unalike((SELECT t FROM as_caller), '%Secret_PW%', 'no secret in the result');

-- A superuser's clone, from scratch: every object, passwords included.
DROP SCHEMA fdata CASCADE;
DROP SERVER fdata_loop CASCADE;
DROP SERVER fdata_plain_srv CASCADE;
DROP FOREIGN DATA WRAPPER fdata_plain CASCADE;
CREATE TEMP TABLE as_super AS SELECT pgtest.all_text($$SELECT pgclone.schema(pgtest.src(), 'fdata')$$) AS t;
SELECT matches((SELECT t FROM as_super),
  '^00000 \| OK: cloned schema fdata: 5 tables \(8 rows\), .*3 foreign tables, 1 foreign-data wrapper, 2 foreign servers, 2 user mappings$',
  'a superuser''s clone creates the wrapper too');
SELECT unalike((SELECT t FROM as_super), '%Secret_PW%', 'no secret in the result');
SELECT is((SELECT count(*) FROM pgclone.jobs_view j WHERE j::text LIKE '%Secret_PW%'), 0::bigint, 'nor in the jobs view');
SELECT is((SELECT umoptions::text FROM pg_user_mappings WHERE srvname = 'fdata_loop' AND usename = 'postgres'),
  '{user=postgres,password=Fdw_Secret_PW_9876}', 'a superuser''s clone keeps the password the source exposes');
SELECT is((SELECT umoptions::text FROM pg_user_mappings WHERE srvname = 'fdata_loop' AND usename = 'public'),
  '{user=fdata_nobody,sslpassword=Ssl_Secret_PW_5555}', 'and the sslpassword');

-- Wrapper and servers as on the source.
SELECT is((SELECT fdwoptions::text || ' ' || fdwhandler::oid || ' ' || fdwvalidator::oid FROM pg_foreign_data_wrapper
            WHERE fdwname = 'fdata_plain'), '{flavour=vanilla} 0 0', 'the plain wrapper: no handler, no validator, its options');
SELECT is(obj_description(oid, 'pg_foreign_data_wrapper'), 'a wrapper of no extension', 'with its comment')
  FROM pg_foreign_data_wrapper WHERE fdwname = 'fdata_plain';
SELECT is((SELECT srvtype || ' ' || srvversion || ' ' || srvoptions::text FROM pg_foreign_server WHERE srvname = 'fdata_plain_srv'),
  'archive 2.1 {region=eu}', 'a server''s TYPE, VERSION and OPTIONS');
SELECT is((SELECT fdwname FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw WHERE srvname = 'fdata_loop'),
  'postgres_fdw', 'the loopback server uses postgres_fdw');
SELECT ok((SELECT 'fetch_size=50' = ANY (srvoptions) AND 'dbname=pgclone_src' = ANY (srvoptions) FROM pg_foreign_server
            WHERE srvname = 'fdata_loop'), 'with its options');
SELECT is(obj_description(oid, 'pg_foreign_server'), 'back to the source database', 'and its comment')
  FROM pg_foreign_server WHERE srvname = 'fdata_loop';
SELECT ok(has_server_privilege('Ünï Prüfer', 'fdata_loop', 'USAGE'), 'GRANT USAGE ON FOREIGN SERVER is cloned');

-- Foreign tables: definitions, no data copied, queryable through the cloned server.
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'fdata.remote'::regclass), 'f', 'fdata.remote is a foreign table');
SELECT is((SELECT ftoptions::text FROM pg_foreign_table WHERE ftrelid = 'fdata.remote'::regclass),
  '{schema_name=fdata,table_name=remote_src}', 'with its OPTIONS');
SELECT is((SELECT attfdwoptions::text || ' ' || attnotnull::text FROM pg_attribute WHERE attrelid = 'fdata.remote'::regclass AND attname = 'id'),
  '{column_name=id} true', 'a column''s OPTIONS and NOT NULL');
SELECT is((SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'fdata.remote'::regclass), '''none''::text',
  'a column default');
SELECT is(pgtest.constraint_defs('fdata.remote'), ARRAY['remote_id_positive: CHECK ((id > 0))'], 'its CHECK constraint');
DELETE FROM fdata.remote_src;
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM fdata.remote), 'eins,zwei,drei',
  'the foreign table reads the source''s rows through the cloned server (the local copy is emptied)');
SELECT is((SELECT relkind::text || ' ' || relispartition::text || ' ' || pg_get_expr(relpartbound, oid) FROM pg_class
            WHERE oid = 'fdata.events_old'::regclass), 'f true FOR VALUES FROM (MINVALUE) TO (''2024-01-01'')',
  'a foreign partition is attached with its bound');
SELECT is((SELECT count(*) FROM fdata.events), 3::bigint, 'the partitioned table reads 1 local and 2 foreign rows');

-- A typed table.
SELECT is((SELECT reloftype::regtype::text FROM pg_class WHERE oid = 'fdata.people'::regclass), 'fdata.person',
  'fdata.people is OF fdata.person');
SELECT is((SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'fdata.people'::regclass), '''anon''::text',
  'its column default');
SELECT is(pgtest.constraint_defs('fdata.people'),
  ARRAY['people_born_past: CHECK ((born < ''2100-01-01''::date))', 'people_pkey: PRIMARY KEY (id)'], 'its constraints');
SELECT is((SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM fdata.people), '1:Ada,2:anon', 'and its rows');

-- Cloned again into an existing server: the server is used as it is.
DROP SCHEMA fdata CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'fdata')$$),
  '^OK: cloned schema fdata: 5 tables \(8 rows\), .*3 foreign tables$', 'servers already on the target are reused, not created');

DROP SCHEMA fdata CASCADE;
DROP SERVER fdata_loop CASCADE;
DROP SERVER fdata_plain_srv CASCADE;
DROP FOREIGN DATA WRAPPER fdata_plain CASCADE;
DROP EXTENSION postgres_fdw CASCADE;
DROP OWNED BY fdata_caller;
DROP ROLE fdata_caller;
SELECT * FROM finish();
