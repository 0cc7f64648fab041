-- The extension itself: install, functions, privileges, GUCs, no bgworkers.
-- Runs in autocommit mode (see tests/fixtures/target/10_helpers.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT plan(30);

-- Loads the library (agent_status is a C function), so the GUCs are defined.
SELECT matches(pgtest.try('SELECT pgclone.agent_status()'), '^\{',
  'agent_status() answers with a JSON object');

SELECT has_extension('pgclone', 'extension pgclone is installed');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'pgclone'), '0.1.0',
  'extension version is 0.1.0');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pgclone'),
  'pgclone', 'extension objects live in schema pgclone');
SELECT is(pgclone.version(), 'pgclone 0.1.0', 'version() says pgclone 0.1.0');

-- Signatures of doc/sql-api.md (the walking skeleton's part).
SELECT has_function('pgclone', 'version', ARRAY[]::text[], 'version()');
SELECT has_function('pgclone', 'agent_status', ARRAY[]::text[], 'agent_status()');
SELECT has_function('pgclone', 'table', ARRAY['text', 'text', 'text', 'boolean'],
  'table(conninfo, schema, table, include_data)');
SELECT has_function('pgclone', 'table', ARRAY['text', 'text', 'text', 'boolean', 'text'],
  'table(..., target_table_name)');
SELECT has_function('pgclone', 'table', ARRAY['text', 'text', 'text', 'boolean', 'text', 'text'],
  'table(..., target_table_name, options)');
SELECT has_function('pgclone', 'table_ex',
  ARRAY['text', 'text', 'text', 'boolean', 'text', 'boolean', 'boolean', 'boolean'],
  'table_ex(conninfo, schema, table, include_data, target_table_name, indexes, constraints, triggers)');
SELECT is((SELECT array_agg(format_type(prorettype, NULL) ORDER BY oid)
             FROM pg_proc WHERE pronamespace = 'pgclone'::regnamespace
              AND proname IN ('table', 'table_ex', 'version', 'agent_status')),
  ARRAY['text', 'text', 'text', 'text', 'text', 'text'],
  'all six functions return text');
SELECT matches(
  (SELECT pg_get_function_arguments(p.oid) FROM pg_proc p
    WHERE p.pronamespace = 'pgclone'::regnamespace AND p.proname = 'table' AND p.pronargs = 4),
  'include_data boolean DEFAULT true$',
  'table() include_data defaults to true');
SELECT matches(
  (SELECT pg_get_function_arguments(p.oid) FROM pg_proc p
    WHERE p.pronamespace = 'pgclone'::regnamespace AND p.proname = 'table_ex'),
  'include_indexes boolean DEFAULT true, include_constraints boolean DEFAULT true, include_triggers boolean DEFAULT true$',
  'table_ex() toggles default to true');

-- Privileges: nothing for PUBLIC, nothing for a fresh role.
DROP ROLE IF EXISTS pgclone_fresh_role;
CREATE ROLE pgclone_fresh_role;
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text) FROM pg_proc p
            WHERE p.pronamespace = 'pgclone'::regnamespace
              AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                          WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')),
  NULL, 'no pgclone function is executable by PUBLIC');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text) FROM pg_proc p
            WHERE p.pronamespace = 'pgclone'::regnamespace
              AND has_function_privilege('pgclone_fresh_role', p.oid, 'EXECUTE')),
  NULL, 'a fresh role cannot execute any pgclone function');
SELECT cmp_ok((SELECT count(*) FROM pg_proc WHERE pronamespace = 'pgclone'::regnamespace), '>=', 6::bigint,
  'the privilege checks above looked at the pgclone functions');
DROP ROLE pgclone_fresh_role;

-- No background workers, no preload.
SELECT unalike(current_setting('shared_preload_libraries'), '%pgclone%',
  'pgclone is not in shared_preload_libraries');
SELECT is((SELECT array_agg(backend_type) FROM pg_stat_activity
            WHERE backend_type NOT IN ('client backend', 'autovacuum launcher', 'autovacuum worker',
              'logical replication launcher', 'logical replication worker', 'parallel worker',
              'background writer', 'checkpointer', 'walwriter', 'archiver', 'startup',
              'walreceiver', 'walsender')
               OR backend_type ILIKE '%pgclone%'),
  NULL, 'pgclone started no background workers');

-- GUCs (defined once the library is loaded, which agent_status() did).
SELECT is((SELECT boot_val FROM pg_settings WHERE name = 'pgclone.agent_endpoint'),
  'tcp://127.0.0.1:5599', 'pgclone.agent_endpoint exists, default tcp://127.0.0.1:5599');
SELECT is((SELECT (boot_val || ' ' || coalesce(unit, ''))::interval FROM pg_settings
            WHERE name = 'pgclone.agent_timeout' AND vartype = 'integer'),
  interval '30 seconds', 'pgclone.agent_timeout is a time setting, default 30s');
SELECT is((SELECT array_agg(name || '=' || context ORDER BY name) FROM pg_settings
            WHERE name IN ('pgclone.agent_endpoint', 'pgclone.agent_public_key', 'pgclone.key_file')),
  ARRAY['pgclone.agent_endpoint=superuser', 'pgclone.agent_public_key=superuser', 'pgclone.key_file=superuser'],
  'the settings that locate the agent and this server''s key are superuser-only');
SELECT is((SELECT count(*) FROM pg_settings WHERE name = 'pgclone.target_conninfo'), 0::bigint,
  'there is no pgclone.target_conninfo: the agent''s enrolment says how it reaches this server');
SELECT is(pgtest.err($$SET pgclone.agent_public_key = 'not a key'$$) ~ '^22023', true,
  'pgclone.agent_public_key refuses what is not a Z85 key');
SELECT ok(NOT has_function_privilege('public', 'pgclone.assume_role(oid)', 'EXECUTE'),
  'pgclone.assume_role() is not executable by PUBLIC');
SET pgclone.agent_timeout = '45s';
SELECT is(current_setting('pgclone.agent_timeout')::interval, interval '45 seconds',
  'agent_timeout accepts 45s');
SET pgclone.agent_timeout = '2min';
SELECT is(current_setting('pgclone.agent_timeout')::interval, interval '2 minutes',
  'agent_timeout accepts 2min');
RESET pgclone.agent_timeout;
SELECT is(pgtest.err($$SET pgclone.agent_timeout = 'banana'$$) ~ '^22023', true,
  'agent_timeout rejects a non-time value with 22023');

-- agent_status() document
SELECT is(
  (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(pgclone.agent_status()::jsonb) AS k
    WHERE k IN ('agent_version', 'protocol_version', 'uptime_s', 'workers', 'jobs')),
  ARRAY['agent_version', 'jobs', 'protocol_version', 'uptime_s', 'workers'],
  'agent_status() has agent_version, protocol_version, uptime_s, workers, jobs');
SELECT ok(
  (SELECT (j -> 'workers' ?& ARRAY['total', 'busy', 'idle'])
      AND (j -> 'jobs' ?& ARRAY['pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted'])
      AND (j -> 'workers' ->> 'total')::int >= 1
      AND (j -> 'workers' ->> 'busy')::int + (j -> 'workers' ->> 'idle')::int = (j -> 'workers' ->> 'total')::int
      AND (j ->> 'uptime_s')::numeric >= 0
      AND (j ->> 'protocol_version')::int = 2
      AND (j ->> 'agent_version') ~ '0\.1\.0'
     FROM (SELECT pgclone.agent_status()::jsonb AS j) s),
  'agent_status(): workers {total,busy,idle}, jobs by state, protocol 2, agent 0.1.0');

SELECT * FROM finish();
