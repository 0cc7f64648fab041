-- Error paths: options, conninfo, missing table, unreachable source/agent,
-- hostile "where", and passwords that must never show up in error text.
-- Every failed call targets basic.err_* names, which must not exist afterwards.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS basic CASCADE;
SELECT plan(45);

-- options JSON
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"indexes": true, "foo": 1}')$$),
  '^22023: .*unknown option "foo"', 'unknown option key: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"Indexes": true}')$$),
  '^22023: .*Indexes', 'option keys are case-sensitive: a miscased key is unknown');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"indexes": "yes"}')$$),
  '^22023: .*option "indexes" must be a boolean', 'wrong type for indexes: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"triggers": 1}')$$),
  '^22023: .*"triggers"', 'wrong type for triggers: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"columns": "id"}')$$),
  '^22023: .*"columns"', 'columns not an array: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"columns": ["id", 7]}')$$),
  '^22023: .*"columns"', 'columns with a non-string element: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"where": 42}')$$),
  '^22023: .*"where"', 'where not a string: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"conflict": "merge"}')$$),
  '^22023: .*"conflict"', 'bad conflict value: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"conflict": true}')$$),
  '^22023: .*"conflict"', 'conflict not a string: 22023 naming the key');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"indexes": tru')$$),
  '^22023: invalid options JSON', 'malformed JSON: 22023 invalid options JSON');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '[1, 2]')$$),
  '^22023: ', 'options that are not a JSON object: 22023');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_1', '{"indexes": true} trailing')$$),
  '^22023: ', 'trailing garbage after the JSON object: 22023');

-- connection strings
SELECT matches(pgtest.err($$SELECT pgclone.table('host=/tmp bogus_keyword=1', 'basic', 'items', true, 'err_2')$$),
  '^22023: invalid connection string', 'unknown conninfo keyword: 22023 invalid connection string');
SELECT matches(pgtest.err($$SELECT pgclone.table('host=''/tmp', 'basic', 'items', true, 'err_2')$$),
  '^22023: invalid connection string', 'unterminated quote in conninfo: 22023');
SELECT matches(pgtest.err($$SELECT pgclone.table('postgresql://[::1', 'basic', 'items', true, 'err_2')$$),
  '^22023: invalid connection string', 'malformed URI: 22023');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.dead_src(), 'basic', 'items', true, 'err_3')$$),
  '^08001: ', 'unreachable source (nothing listening): 08001');

-- missing source objects; errors from the source keep their SQLSTATE
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'no_such_table', true, 'err_4')$$),
  '^42P01: .*basic"?\."?no_such_table', 'missing source table: 42P01 naming schema.table');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_5', '{"where": "no_such_col > 1"}')$$),
  '^42703: .*no_such_col', 'where on a missing column: the source''s 42703');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_6', '{"columns": ["id", "nope_col"]}')$$),
  '^[0-9A-Z]{5}: .*nope_col', 'columns naming a missing column: an error naming it');

-- a row filter is an expression, not a place for more statements: refused
-- before the agent is asked (the established pgclone's wording)
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_7', '{"where": "true; DROP TABLE basic.victim"}')$$),
  '22023: pgclone: WHERE clause must not contain semicolons', 'where with a second statement: 22023');
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_7', '{"where": "true) TO STDOUT; DROP TABLE basic.victim; --"}')$$),
  '22023: pgclone: WHERE clause has unbalanced parentheses', 'where that tries to close the COPY query: 22023');
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_7', '{"where": "id IN (SELECT 1 FROM (DELETE FROM basic.victim RETURNING 1) d)"}')$$),
  '22023: pgclone: WHERE clause contains forbidden keyword: DELETE', 'where with a data-modifying subquery: 22023');
-- closing the parenthesis and commenting out the rest once turned the COPY
-- into a file write on the source server
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_7', '{"where": "true)) TO ''/tmp/pgclone_where_probe'' --"}')$$),
  '22023: pgclone: WHERE clause has unbalanced parentheses', 'where that closes the SELECT: 22023');
SELECT is(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_7', '{"where": "true --"}')$$),
  '22023: pgclone: WHERE clause must not contain comments', 'where with a comment: 22023');
SELECT ok((pg_stat_file('/tmp/pgclone_where_probe', true)).size IS NULL, 'and no file was written (same host)');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_7', '{"where": "'';--)'' <> ''x'' AND \"id\" > 0"}')$$),
  '^OK:', 'quotes and parentheses inside literals and quoted names are fine');
DROP TABLE IF EXISTS basic.err_7;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'basic', 'victim', true, 'victim_check')$$),
  '^OK:.*\m3 rows\M', 'the source table survived the hostile filters with all its rows');

-- a row the target rejects part-way through the load (row 7000 of 10000)
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'basic', 'badrow', true, 'err_badrow')$$),
  '^23514: ', 'a row the target rejects: the target''s 23514 (check_violation)');
SELECT ok(pgtest.wait_quiet(5) AND NOT pgtest.rel_exists('basic', 'err_badrow'),
  'the failed load left no basic.err_badrow behind (one target transaction)');

-- nothing half-created by any failed call
SELECT is((SELECT array_agg(relname::text) FROM pg_class
            WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'basic') AND relname LIKE 'err\_%'),
  NULL, 'no basic.err_* table exists after the failed calls');

-- passwords never appear in error text (message, detail, hint, context)
SELECT unalike(pgtest.all_text($$SELECT pgclone.table(pgtest.src() || ' password=Pw_Leak_4242 bogus_keyword=1', 'basic', 'items', true, 'err_8')$$),
  '%Pw_Leak_4242%', 'malformed conninfo with a password: password not in the error');
SELECT unalike(pgtest.all_text($$SELECT pgclone.table(pgtest.dead_src() || ' password=Pw_Leak_4242', 'basic', 'items', true, 'err_8')$$),
  '%Pw_Leak_4242%', 'unreachable source with a password: password not in the error');
SELECT unalike(pgtest.all_text($$SELECT pgclone.table(pgtest.src() || ' password=Pw_Leak_4242', 'basic', 'no_such_table', true, 'err_8')$$),
  '%Pw_Leak_4242%', 'missing table with a password in the conninfo: password not in the error');
SELECT unalike(pgtest.all_text($$SELECT pgclone.table(pgtest.src() || ' password=''Pw_Leak_4242 quoted''', 'basic', 'items', true, 'err_8', '{"foo": 1}')$$),
  '%Pw_Leak_4242%', 'bad option with a password in the conninfo: password not in the error');
SELECT unalike(pgtest.all_text(format($$SELECT pgclone.table(%L, 'basic', 'items', true, 'err_8')$$,
                'postgresql://postgres:Pw_Leak_4242@127.0.0.1:' || substring(pgtest.dead_src() FROM 'port=([0-9]+)') || '/x?connect_timeout=5')),
  '%Pw_Leak_4242%', 'URI with a password, unreachable: password not in the error');
SELECT unalike(pgtest.all_text($$SELECT pgclone.table('postgresql://postgres:Pw_Leak_4242@[bad', 'basic', 'items', true, 'err_8')$$),
  '%Pw_Leak_4242%', 'malformed URI with a password: password not in the error');
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src() || ' password=Pw_Leak_4242', 'basic', 'victim', true, 'victim_pw')$$),
  '^00000: OK:', 'a password in the conninfo works where the server accepts it (trust)');
SELECT unalike(pgclone.agent_status(), '%Pw_Leak_4242%', 'agent_status() does not show the password');

-- agent unreachable: 08001 within agent_timeout, naming the endpoint, with a HINT
SET pgclone.agent_endpoint = 'tcp://127.0.0.1:1';
SET pgclone.agent_timeout = '2s';
CREATE TEMP TABLE unreach AS SELECT * FROM pgtest.run('SELECT pgclone.agent_status()');
CREATE TEMP TABLE unreach_clone AS
  SELECT * FROM pgtest.run($$SELECT pgclone.table(pgtest.src(), 'basic', 'items', true, 'err_9')$$);
RESET pgclone.agent_endpoint;
RESET pgclone.agent_timeout;
SELECT is((SELECT sqlstate FROM unreach), '08001', 'agent unreachable: agent_status() raises 08001');
SELECT matches((SELECT message FROM unreach), 'could not reach pgclone agent at "tcp://127\.0\.0\.1:1"',
  'agent unreachable: the message names the endpoint');
SELECT matches((SELECT hint FROM unreach), 'pgclone-agent --listen', 'agent unreachable: the HINT says how to start it');
SELECT cmp_ok((SELECT elapsed_s FROM unreach), '<', 3.5::float8, 'agent unreachable: noticed within agent_timeout (2s) + 1.5s');
SELECT is((SELECT sqlstate || ' ' || (message ~ 'tcp://127\.0\.0\.1:1')::text FROM unreach_clone), '08001 true',
  'agent unreachable: table() raises 08001 naming the endpoint');
SELECT cmp_ok((SELECT elapsed_s FROM unreach_clone), '<', 3.5::float8, 'agent unreachable: table() gives up within agent_timeout + 1.5s');
SELECT matches(pgtest.try('SELECT pgclone.agent_status()'), '^\{', 'with the real endpoint back, the same session reaches the agent');

DROP SCHEMA IF EXISTS basic CASCADE;
SELECT * FROM finish();
