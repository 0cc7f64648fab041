-- conflict option of schema clones, per schema: a schema missing on the
-- target or existing but empty is cloned into; one that holds objects follows
-- error (default, 42P06, nothing changed) | skip (SKIPPED, unchanged) |
-- replace (old one dropped, result identical to a first clone; twice = once) |
-- rename (old one kept as clash_old, clash_old1, ... with its contents).
-- Source: clash (tests/fixtures/61_schema_small.sql), 5 tables, 42 rows.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS clash CASCADE;
DROP SCHEMA IF EXISTS clash_old CASCADE;
DROP SCHEMA IF EXISTS clash_old1 CASCADE;
DROP SCHEMA IF EXISTS clash_old2 CASCADE;
SELECT plan(46);

-- reference: a first clone into a missing schema, with conflict=replace
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "replace"}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'replace on a missing schema: a plain first clone');
CREATE TEMP TABLE reference AS SELECT pgtest.schema_objects('clash') AS objects, pgtest.schema_data('clash') AS data;
SELECT cmp_ok(cardinality((SELECT objects FROM reference)), '>', 25, 'the reference clone has its objects');
DROP SCHEMA clash CASCADE;

-- an existing but empty schema is cloned into
CREATE SCHEMA clash;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'an existing empty schema is cloned into (default conflict)');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'existing empty schema: same objects as a first clone');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM reference), 'existing empty schema: same rows');
DROP SCHEMA clash CASCADE;

-- a schema that holds objects
CREATE OR REPLACE FUNCTION pg_temp.prepare_old() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DROP SCHEMA IF EXISTS clash CASCADE;
  CREATE SCHEMA clash;
  CREATE TABLE clash.mine (x integer PRIMARY KEY, note text);
  INSERT INTO clash.mine VALUES (1, 'one'), (2, 'two'), (3, 'three');
  CREATE TABLE clash.items (old_col text);
  INSERT INTO clash.items VALUES ('old item');
  CREATE VIEW clash.mine_v AS SELECT x FROM clash.mine;
END $$;
SELECT pg_temp.prepare_old();
CREATE TEMP TABLE old_state AS SELECT pgtest.schema_objects('clash') AS objects, pgtest.schema_data('clash') AS data;

SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash')$$),
  '^42P06: .*clash', 'no conflict option: 42P06 naming the schema');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM old_state), 'default: objects unchanged');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM old_state), 'default: rows unchanged');
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "error"}')$$),
  '^42P06: .*clash', 'conflict=error: 42P06 naming the schema');
SELECT matches(pgtest.err($$SELECT pgclone.schema_ex(pgtest.src(), 'clash', false)$$),
  '^42P06: .*clash', 'schema_ex: 42P06 too');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM old_state), 'error: objects unchanged');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM old_state), 'error: rows unchanged');
SELECT ok(pgtest.wait_quiet(5) AND NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname LIKE 'clash%' AND nspname <> 'clash'),
  'error: no other schema left behind');

-- skip
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "skip"}')$$),
  '^SKIPPED: schema clash already exists on the target', 'conflict=skip: SKIPPED: schema clash already exists on the target');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM old_state), 'skip: objects unchanged');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM old_state), 'skip: rows unchanged');

-- a schema holding only a function also "holds objects"
DROP SCHEMA clash CASCADE;
CREATE SCHEMA clash;
CREATE FUNCTION clash.only_me() RETURNS integer LANGUAGE sql RETURN 7;
SELECT matches(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'clash')$$),
  '^42P06: .*clash', 'a schema holding just a function: 42P06');
SELECT is(clash.only_me(), 7, 'and the function is untouched');
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "skip"}')$$),
  '^SKIPPED:', 'skip on a schema holding just a function: SKIPPED');

-- replace
SELECT pg_temp.prepare_old();
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "replace"}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'conflict=replace: OK');
SELECT hasnt_table('clash', 'mine', 'replace: the old table is gone');
SELECT hasnt_view('clash', 'mine_v', 'replace: the old view is gone');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'replace: the same objects as a first clone');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM reference), 'replace: the same rows as a first clone');
SELECT is(pgtest.seq_pos('clash.counter'), '190/true', 'replace: the sequence at the source''s position');
SELECT is((SELECT count(*) FROM clash.log), 0::bigint, 'replace: nothing fired');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname LIKE 'clash%' AND nspname <> 'clash'),
  'replace: no other schema left behind');
-- twice = once
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "replace"}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'replace again over the clone: OK');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'replace twice: the same objects as once');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM reference), 'replace twice: the same rows as once');
SELECT is(pgtest.seq_pos('clash.counter'), '190/true', 'replace twice: the same sequence position as once');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname LIKE 'clash%' AND nspname <> 'clash'),
  'replace twice: no other schema left behind');

-- rename
SELECT pg_temp.prepare_old();
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "rename"}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'conflict=rename: OK');
SELECT has_schema('clash_old', 'rename: the old schema is now clash_old');
SELECT is(pgtest.schema_data('clash_old'), (SELECT data FROM old_state), 'rename: clash_old keeps its rows');
SELECT is(cardinality(pgtest.schema_objects('clash_old')), cardinality((SELECT objects FROM old_state)),
  'rename: clash_old keeps all its objects');
SELECT is((SELECT array_agg(x ORDER BY x) FROM clash_old.mine_v), ARRAY[1, 2, 3], 'rename: the old view still works');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'rename: clash holds a fresh clone');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM reference), 'rename: with the source rows');
-- again: clash_old is taken, so the clone of the first rename becomes clash_old1
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"conflict": "rename"}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'rename again: OK');
SELECT has_schema('clash_old1', 'rename again: the previous clone is now clash_old1');
SELECT is(pgtest.schema_data('clash_old'), (SELECT data FROM old_state), 'rename again: clash_old untouched');
SELECT is(pgtest.schema_data('clash_old1'), (SELECT data FROM reference), 'rename again: clash_old1 has the previous clone''s rows');
SELECT is((SELECT count(*) FROM clash_old1.items_v), 10::bigint, 'rename again: the renamed clone''s view works');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'rename again: clash is a fresh clone');
SELECT hasnt_schema('clash_old2', 'no clash_old2');

DROP TABLE reference, old_state;
DROP SCHEMA IF EXISTS clash CASCADE;
DROP SCHEMA IF EXISTS clash_old CASCADE;
DROP SCHEMA IF EXISTS clash_old1 CASCADE;
SELECT * FROM finish();
