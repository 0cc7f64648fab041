-- The SQL surface of schema/database clones (issue 3): signatures, defaults,
-- privileges, argument checks, options checks, and the error paths that fail
-- before anything is created (bad conninfo, dead source, missing schema,
-- unreachable agent). Every failed call here must leave no schema behind.
-- Source schemas: tests/fixtures/61_schema_small.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS clash CASCADE;
DROP SCHEMA IF EXISTS no_such_schema CASCADE;
SELECT plan(59);

-- signatures (doc/sql-api.md)
SELECT has_function('pgclone', 'schema', ARRAY['text', 'text', 'boolean'], 'schema(conninfo, schema_name, include_data)');
SELECT has_function('pgclone', 'schema', ARRAY['text', 'text', 'boolean', 'text'], 'schema(..., options)');
SELECT has_function('pgclone', 'schema_ex', ARRAY['text', 'text', 'boolean', 'boolean', 'boolean', 'boolean'],
  'schema_ex(conninfo, schema_name, include_data, include_indexes, include_constraints, include_triggers)');
SELECT has_function('pgclone', 'functions', ARRAY['text', 'text'], 'functions(conninfo, schema_name)');
SELECT has_function('pgclone', 'database', ARRAY['text', 'boolean'], 'database(conninfo, include_data)');
SELECT has_function('pgclone', 'database', ARRAY['text', 'boolean', 'text'], 'database(conninfo, include_data, options)');
SELECT has_function('pgclone', 'database_create', ARRAY['text', 'text', 'boolean'],
  'database_create(conninfo, target_dbname, include_data)');
SELECT has_function('pgclone', 'database_create', ARRAY['text', 'text', 'boolean', 'text'],
  'database_create(conninfo, target_dbname, include_data, options)');
SELECT is((SELECT array_agg(DISTINCT format_type(prorettype, NULL)) FROM pg_proc
            WHERE pronamespace = 'pgclone'::regnamespace
              AND proname IN ('schema', 'schema_ex', 'functions', 'database', 'database_create')),
  ARRAY['text'], 'all of them return text');
SELECT matches((SELECT pg_get_function_arguments(oid) FROM pg_proc
                 WHERE pronamespace = 'pgclone'::regnamespace AND proname = 'schema' AND pronargs = 3),
  'include_data boolean DEFAULT true$', 'schema(): include_data defaults to true');
SELECT matches((SELECT pg_get_function_arguments(oid) FROM pg_proc
                 WHERE pronamespace = 'pgclone'::regnamespace AND proname = 'schema_ex'),
  'include_data boolean, include_indexes boolean DEFAULT true, include_constraints boolean DEFAULT true, include_triggers boolean DEFAULT true$',
  'schema_ex(): the three toggles default to true');
SELECT matches((SELECT pg_get_function_arguments(oid) FROM pg_proc
                 WHERE pronamespace = 'pgclone'::regnamespace AND proname = 'database' AND pronargs = 2),
  'include_data boolean DEFAULT true$', 'database(): include_data defaults to true');
SELECT matches((SELECT pg_get_function_arguments(oid) FROM pg_proc
                 WHERE pronamespace = 'pgclone'::regnamespace AND proname = 'database_create' AND pronargs = 3),
  'include_data boolean DEFAULT true$', 'database_create(): include_data defaults to true');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1) FROM pg_proc p
            WHERE p.pronamespace = 'pgclone'::regnamespace
              AND p.proname IN ('schema', 'schema_ex', 'functions', 'database', 'database_create')
              AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                          WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')),
  NULL, 'none of them is executable by PUBLIC');

-- NULL and empty arguments
SELECT matches(pgtest.err($$SELECT pgclone.schema(NULL, 'clash')$$), '^22004: .*conninfo', 'schema(): NULL conninfo -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), NULL)$$), '^22004: .*schema_name', 'schema(): NULL schema_name -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), '')$$), '^22023: .*schema_name', 'schema(): empty schema_name -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', NULL)$$), '^22004: .*include_data', 'schema(): NULL include_data -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.schema_ex(pgtest.src(), 'clash', true, NULL, true, true)$$), '^22004: .*include_indexes',
  'schema_ex(): NULL include_indexes -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.schema_ex(pgtest.src(), '', true)$$), '^22023: .*schema_name', 'schema_ex(): empty schema_name -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.functions(pgtest.src(), NULL)$$), '^22004: .*schema_name', 'functions(): NULL schema_name -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.functions(pgtest.src(), '')$$), '^22023: .*schema_name', 'functions(): empty schema_name -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.functions(NULL, 'fnlib')$$), '^22004: .*conninfo', 'functions(): NULL conninfo -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.database(NULL)$$), '^22004: .*conninfo', 'database(): NULL conninfo -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.database(pgtest.src(), NULL)$$), '^22004: .*include_data', 'database(): NULL include_data -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.database_create(pgtest.src(), NULL)$$), '^22004: .*target_dbname',
  'database_create(): NULL target_dbname -> 22004');
SELECT matches(pgtest.err($$SELECT pgclone.database_create(pgtest.src(), '')$$), '^22023: .*target_dbname',
  'database_create(): empty target_dbname -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.database_create(NULL, 'pgclone_never')$$), '^22004: .*conninfo',
  'database_create(): NULL conninfo -> 22004');

-- options
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"columns": ["id"]}')$$),
  '^22023: .*"columns".*only applies to single-table clones', 'schema(): columns -> 22023 only applies to single-table clones');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"where": "id > 1"}')$$),
  '^22023: .*"where".*only applies to single-table clones', 'schema(): where -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.database(pgtest.src(), true, '{"where": "id > 1"}')$$),
  '^22023: .*"where".*only applies to single-table clones', 'database(): where -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'clash', 'items', true, 'err_t', '{"tables": ["items"]}')$$),
  '^22023: .*"tables"', 'table(): tables -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'clash', 'items', true, 'err_t', '{"exclude_tables": ["x"]}')$$),
  '^22023: .*"exclude_tables"', 'table(): exclude_tables -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"parallel": 0}')$$),
  '^22023: .*"parallel"', 'parallel 0 -> 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"parallel": 65}')$$),
  '^22023: .*"parallel"', 'parallel 65 -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"parallel": "4"}')$$),
  '^22023: .*"parallel"', 'parallel as a string -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"parallel": 2.5}')$$),
  '^22023: .*"parallel"', 'parallel not an integer -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"tables": "items"}')$$),
  '^22023: .*"tables"', 'tables not an array -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"exclude_tables": [1]}')$$),
  '^22023: .*"exclude_tables"', 'exclude_tables with a non-string -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"tables": ["("]}')$$),
  '^22023: .*"tables"', 'tables with an invalid regex -> 22023 naming the key');
-- Bounded input: a pattern nested 30,000 deep overflowed std::regex's stack and
-- took the backend down (the cluster restarted); a test after it fails then too.
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true,
    '{"tables": ["' || repeat('(', 30000) || 'a' || repeat(')', 30000) || '"]}')$$),
  '^22023: pattern 1 of option "tables" is too long', 'a pattern nested 30,000 deep -> 22023, the backend survives');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true,
    '{"exclude_tables": ' || repeat('[', 200) || repeat(']', 200) || '}')$$),
  '^22023: options are nested too deeply', 'options nested 200 deep -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true,
    '{"tables": ["' || repeat('x', 70000) || '"]}')$$),
  '^22023: options are too long', 'options over 64 kB -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "merge"}')$$),
  '^22023: .*"conflict"', 'bad conflict value -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"matviews": "no"}')$$),
  '^22023: .*"matviews"', 'matviews not a boolean -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"consistent": 1}')$$),
  '^22023: .*"consistent"', 'consistent not a boolean -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"bogus": 1}')$$),
  '^22023: .*"bogus"', 'unknown key -> 22023 naming it');
SELECT matches(pgtest.err($$SELECT pgclone.database(pgtest.src(), true, '{"indexes": tru')$$),
  '^22023: ', 'database(): malformed JSON -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.database_create(pgtest.src(), 'pgclone_never', true, '{"bogus": 1}')$$),
  '^22023: .*"bogus"', 'database_create(): unknown key -> 22023');

-- connection problems and missing source schema
SELECT matches(pgtest.err($$SELECT pgclone.schema('host=/tmp bogus_keyword=1', 'clash')$$),
  '^22023: invalid connection string', 'schema(): bad conninfo -> 22023');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.dead_src(), 'clash')$$), '^08001: ', 'schema(): unreachable source -> 08001');
SELECT matches(pgtest.err($$SELECT pgclone.database(pgtest.dead_src())$$), '^08001: ', 'database(): unreachable source -> 08001');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'no_such_schema')$$),
  '^3F000: .*no_such_schema', 'schema(): missing source schema -> 3F000 naming it');
SELECT matches(pgtest.err($$SELECT pgclone.functions(pgtest.src(), 'no_such_schema')$$),
  '^3F000: .*no_such_schema', 'functions(): missing source schema -> 3F000 naming it');

-- agent unreachable
SET pgclone.agent_endpoint = 'tcp://127.0.0.1:1';
SET pgclone.agent_timeout = '2s';
CREATE TEMP TABLE unreach AS SELECT * FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'clash')$$);
RESET pgclone.agent_endpoint;
RESET pgclone.agent_timeout;
SELECT is((SELECT sqlstate || ' ' || (message ~ 'tcp://127\.0\.0\.1:1')::text FROM unreach), '08001 true',
  'agent unreachable: schema() raises 08001 naming the endpoint');
SELECT cmp_ok((SELECT elapsed_s FROM unreach), '<', 3.5::float8, 'and gives up within agent_timeout + 1.5 s');

-- none of the calls above created anything
SELECT ok(pgtest.wait_quiet(5), 'no agent transaction left open on the target');
SELECT is((SELECT array_agg(nspname::text) FROM pg_namespace WHERE nspname IN ('clash', 'no_such_schema', 'fnlib')),
  NULL, 'no schema was created by any failed call');
SELECT is((SELECT array_agg(datname::text) FROM pg_database WHERE datname = 'pgclone_never'), NULL,
  'no database was created by a failed database_create()');

DROP TABLE unreach;
SELECT * FROM finish();
