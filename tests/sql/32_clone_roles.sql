-- "owner": "source" (fixture tests/fixtures/65_owners.sql) and the error
-- paths of clone_roles(); the cross-cluster role copy itself, its
-- pg_dumpall comparison and the refusals of a non-superuser are in
-- tests/integration/clone_roles.sh (roles are cluster-wide: a pgTAP
-- transaction could not hide them from the other tests).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS owned_src CASCADE;
DROP SCHEMA IF EXISTS owned_ghost CASCADE;
DROP TABLE IF EXISTS public.owned_t;
SELECT plan(20);

-- ------------------------------------------------------------ clone_roles() errors
SELECT has_function('pgclone', 'clone_roles', ARRAY['text'], 'clone_roles(conninfo)');
SELECT has_function('pgclone', 'clone_roles', ARRAY['text', 'text'], 'clone_roles(conninfo, role_names)');
SELECT ok(NOT has_function_privilege('public', 'pgclone.clone_roles(text, text)', 'EXECUTE'), 'not executable by PUBLIC');
SELECT isnt(obj_description('pgclone.clone_roles(text)'::regprocedure, 'pg_proc'), NULL, 'clone_roles is commented');
SELECT is(pgtest.err($$SELECT pgclone.clone_roles(pgtest.src(), 'priv_reader, no_such_role_x')$$),
  '42704: role "no_such_role_x" does not exist on the source', 'a named role missing on the source: 42704');
SELECT is(pgtest.err($$SELECT pgclone.clone_roles(pgtest.src(), ',')$$),
  '22023: role_names has an empty name', 'an empty role name: 22023');
SELECT is(pgtest.try($$SELECT pgclone.clone_roles(pgtest.src(), 'pg_monitor')$$),
  'OK: 0 roles created, 0 roles updated, 0 grants applied', 'a reserved role is left alone');

-- ------------------------------------------------------------ "owner": "source"
SELECT is(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'owned_src', true, '{"owner": "someone"}')$$),
  '22023: option "owner" must be "caller" or "source"', 'a bad owner value: 22023');
SELECT is(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'owned_ghost', true, '{"owner": "source"}')$$),
  '42704: owner role "priv_src_only" does not exist on the target', 'an owner missing on the target: 42704');
SELECT hasnt_schema('owned_ghost', '... checked before the target is changed');

SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'owned_src', true, '{"owner": "source"}')$$),
  '^OK: cloned schema owned_src', 'schema() with owner source');
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'owned_src'), 'priv_reader', 'the schema has its source owner');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'owned_src.t'::regclass), '"Priv Lead"', 'the table too');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'owned_src.t_id_seq'::regclass), '"Priv Lead"',
  'its owned sequence follows it');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'owned_src.v'::regclass), 'priv_reader', 'the view');
SELECT is((SELECT typowner::regrole::text FROM pg_type WHERE oid = 'owned_src.mood'::regtype), '"Priv Lead"', 'the type');
SELECT is((SELECT array_to_string(proacl, ',') FROM pg_proc WHERE oid = 'owned_src.f()'::regprocedure),
  'priv_reader=X/priv_reader,"Priv Lead"=X/priv_reader', 'grants are relative to (and made by) the real owner, as on the source');
SELECT is((SELECT array_to_string(relacl, ',') FROM pg_class WHERE oid = 'owned_src.t'::regclass),
  '"Priv Lead"=arwdDxt/"Priv Lead",priv_reader=r/"Priv Lead"', 'the table''s ACL as on the source');

SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'owned_src', 't', true, 'owned_t2', '{"owner": "source"}')$$),
  '^OK: cloned owned_src.t as owned_src.owned_t2', 'table() with owner source');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'owned_src.owned_t2'::regclass), '"Priv Lead"',
  'table() gives the table its source owner');

DROP SCHEMA IF EXISTS owned_src CASCADE;
SELECT * FROM finish();
