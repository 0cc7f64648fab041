-- pgclone.table() of a partitioned table clones its partition tree; the
-- "dependencies" option brings types of other schemas (table() and schema()).
-- Source: tests/fixtures/65_table_partitioned.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS ptab CASCADE;
DROP SCHEMA IF EXISTS ptab_far CASCADE;
DROP SCHEMA IF EXISTS ptab_s CASCADE;
DROP SCHEMA IF EXISTS ptab_types CASCADE;
SELECT plan(62);

-- table() does not clone functions: the trigger's function is the target's.
CREATE SCHEMA ptab;
CREATE FUNCTION ptab.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := coalesce(NEW.note, 'stamped'); RETURN NEW; END $$;

CREATE FUNCTION pg_temp.clone(tbl text, options text DEFAULT '{}', target text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
  SELECT pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)', pgtest.src(), 'ptab', tbl, target, options))
$$;
CREATE FUNCTION pg_temp.clone_err(tbl text, options text DEFAULT '{}', target text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
  SELECT pgtest.err(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)', pgtest.src(), 'ptab', tbl, target, options))
$$;
-- The rows of ptab.measure as the source has them (the fixture's inserts;
-- the trigger stamped the notes left NULL).
CREATE TEMP VIEW src_measure AS
SELECT 999 + i AS id, date '2023-06-01' + (i * 7) % 900 AS logdate, (ARRAY['eu', 'us', 'asia'])[1 + i % 3] AS region,
       (ARRAY['new', 'paid', 'void'])[1 + i % 3] AS status, (i * 13 % 500)::numeric(10,2) AS amount, 'stamped' AS note
FROM generate_series(1, 300) AS i
UNION ALL SELECT 1300, date '2030-05-05', 'eu', 'new', 1, 'far future';

------------------------------------------------------------------ a type of another schema is missing
SELECT matches(pg_temp.clone_err('measure'),
  '^42704: type ptab_types\.(amount|status) does not exist on the target$',
  'without "dependencies", a type missing on the target is 42704 naming it, up front');
SELECT is((pgtest.run(format('SELECT pgclone.table(%L, ''ptab'', ''measure'')', pgtest.src()))).detail,
  'The clone of table ptab.measure uses types the target lacks: ptab_types.amount, ptab_types.status.',
  'the detail lists every missing type');
SELECT hasnt_table('ptab', 'measure', 'nothing was created');
SELECT hasnt_schema('ptab_types', 'nor the types'' schema');

------------------------------------------------------------------ the whole tree
SELECT matches(pg_temp.clone('measure', '{"dependencies": true}'),
  '^OK: cloned partitioned table ptab\.measure with 7 partitions, 301 rows, 17 indexes, 16 constraints, 8 triggers, 1 sequence, 2 types$',
  'table() of a partitioned table clones its tree, the sequence and the types its defaults and columns use');
SELECT is((SELECT count(*) FROM pg_partition_tree('ptab.measure')), 8::bigint, 'the partitioned table and its 7 partitions');
SELECT is((SELECT count(*) FROM pg_partition_tree('ptab.measure') WHERE isleaf), 6::bigint, 'six of them leaves');
SELECT is(pg_get_partkeydef('ptab.measure'::regclass), 'RANGE (logdate)', 'the partition key');
SELECT is(pg_get_partkeydef('ptab.measure_2025'::regclass), 'LIST (region)', 'a sub-partitioned partition keeps its key');
SELECT is((SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'ptab.measure_2024'::regclass),
  'FOR VALUES FROM (''2024-01-01'') TO (''2025-01-01'')', 'a range partition keeps its bounds');
SELECT is((SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'ptab.measure_2025_eu'::regclass),
  'FOR VALUES IN (''eu'')', 'a sub-partition keeps its list bounds');
SELECT is((SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'ptab.measure_default'::regclass),
  'DEFAULT', 'the default partition is the default');
SELECT is((SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'ptab_far.measure_2023'::regclass),
  'ptab.measure', 'a partition in another schema is created there and attached');
SELECT set_eq('SELECT id, logdate, region, status::text, amount::numeric(10,2), note FROM ptab.measure', 'SELECT * FROM src_measure', 'every leaf''s rows arrived');
SELECT is((SELECT count(*) FROM ONLY ptab.measure_default), 1::bigint, 'the default partition holds its row');
SELECT is((SELECT count(*) FROM ptab.measure_2025_rest), (SELECT count(*) FROM src_measure
            WHERE logdate >= '2025-01-01' AND logdate < '2026-01-01' AND region = 'asia'),
  'the sub-partitions'' default holds the 2025 rows of other regions');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'ptab.measure_region_idx'::regclass), 'I',
  'the index is a partitioned index');
SELECT is((SELECT count(*) FROM pg_partition_tree('ptab.measure_region_idx')), 8::bigint,
  'with the partitions'' indexes attached at every level');
SELECT is((SELECT count(*) FROM pg_partition_tree('ptab.measure_pkey')), 8::bigint,
  'the primary key''s indexes are attached too');
SELECT has_index('ptab', 'measure_2024', 'measure_2024_note_idx', 'a partition''s own index');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conname = 'measure_amount_small'), 8::bigint,
  'the CHECK constraint on every relation of the tree');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'ptab.measure'::regclass AND tgname = 'measure_stamp'), 1::bigint,
  'the trigger of the partitioned table');
SELECT is(obj_description('ptab.measure'::regclass, 'pg_class'), 'partitioned by day', 'its comment');
SELECT ok(has_table_privilege('public', 'ptab.measure', 'SELECT'), 'its grant to PUBLIC');
SELECT is((SELECT enum_range(NULL::ptab_types.status)::text), '{new,paid,void}', 'the enum was created with its labels');
SELECT is((SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contypid = 'ptab_types.amount'::regtype),
  'CHECK ((VALUE >= (0)::numeric))', 'the domain with its CHECK');
SELECT is((SELECT last_value FROM ptab.measure_id_seq), 1300::bigint, 'the stand-alone sequence, positioned like the source''s');
INSERT INTO ptab.measure (logdate, region) VALUES ('2024-03-03', 'us');
SELECT is((SELECT row(id, note)::text FROM ptab.measure_2024 WHERE logdate = '2024-03-03' AND id > 1300),
  '(1301,stamped)', 'a new row gets the next id, lands in its partition and fires the trigger');

------------------------------------------------------------------ conflicts on the whole tree
SELECT is(pg_temp.clone_err('measure'), '42P07: table ptab.measure already exists on the target',
  'conflict error: 42P07 naming the table');
SELECT matches((pgtest.run(format('SELECT pgclone.table(%L, ''ptab'', ''measure'')', pgtest.src()))).detail,
  'ptab\.measure_2024, ptab\.measure_2025', 'the detail lists the partitions whose names are taken');
SELECT is(pg_temp.clone('measure', '{"conflict": "skip"}'),
  'SKIPPED: table ptab.measure (or a partition of it) already exists on the target', 'conflict skip');
SELECT is((SELECT count(*) FROM ptab.measure), 302::bigint, 'skip left the existing tree alone');
SELECT matches(pg_temp.clone('measure', '{"conflict": "replace"}'),
  '^OK: cloned partitioned table ptab\.measure with 7 partitions, 301 rows', 'conflict replace');
SELECT set_eq('SELECT id, logdate, region, status::text, amount::numeric(10,2), note FROM ptab.measure', 'SELECT * FROM src_measure', 'replace: the source''s rows, the target''s extra row gone');
INSERT INTO ptab.measure (logdate, region, note) VALUES ('2024-04-04', 'eu', 'kept aside');
SELECT matches(pg_temp.clone('measure', '{"conflict": "rename"}'),
  '^OK: cloned partitioned table ptab\.measure with 7 partitions, 301 rows', 'conflict rename');
SELECT is((SELECT count(*) FROM ptab.measure_old WHERE note = 'kept aside'), 1::bigint,
  'rename: the existing tree moved aside with its rows');
SELECT is((SELECT count(*) FROM pg_partition_tree('ptab.measure_old')), 8::bigint, 'with all its partitions');
SELECT is((SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'ptab.measure_2024_old'::regclass),
  'ptab.measure_old', 'its partitions renamed aside too, still attached');
SELECT is((SELECT count(*) FROM pg_partition_tree('ptab.measure_pkey')), 8::bigint, 'the new tree has its own key indexes');
SELECT set_eq('SELECT id, logdate, region, status::text, amount::numeric(10,2), note FROM ptab.measure', 'SELECT * FROM src_measure', 'the new tree has the source''s rows');
DROP TABLE ptab.measure_old;

------------------------------------------------------------------ where and mask apply to each leaf
SELECT matches(pg_temp.clone('measure', $${"conflict": "replace", "where": "region = 'eu'"}$$),
  '^OK: cloned partitioned table ptab\.measure with 7 partitions, ' ||
  (SELECT count(*) FROM src_measure WHERE region = 'eu') || ' rows', 'where filters every leaf');
SELECT set_eq('SELECT id, logdate, region, status::text, amount::numeric(10,2), note FROM ptab.measure', $$SELECT * FROM src_measure WHERE region = 'eu'$$, 'only those rows arrived');
SELECT matches(pg_temp.clone('measure', $${"conflict": "replace", "mask": {"note": "null"}}$$),
  '^OK: cloned partitioned table ptab\.measure with 7 partitions, 301 rows', 'a mask on the partitioned table');
SELECT is((SELECT count(*) FROM ptab.measure WHERE note IS NOT NULL), 0::bigint, 'masks every leaf''s rows');

SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, ''ptab'', ''measure'', false, NULL, ''{"conflict": "replace"}'')',
                                 pgtest.src())),
  '^OK: cloned partitioned table ptab\.measure with 7 partitions \(structure only\), 17 indexes, 16 constraints, 8 triggers$',
  'include_data false: the whole tree, structure only');
SELECT is((SELECT count(*) FROM ptab.measure), 0::bigint, 'and no rows');

------------------------------------------------------------------ what a partitioned table refuses
SELECT is(pg_temp.clone_err('measure', '{"columns": ["id", "logdate"], "conflict": "replace"}'),
  '0A000: option "columns" is not supported for partitioned table ptab.measure', 'columns: 0A000');
SELECT is(pg_temp.clone_err('measure', '{}', 'measure_copy'),
  '0A000: cloning partitioned table ptab.measure under another name is not supported', 'another name: 0A000');
SELECT hasnt_table('ptab', 'measure_copy', 'nothing created under that name');
SELECT matches(pg_temp.clone_err('measure_view'), '^0A000: cloning view', 'a view stays 0A000');

------------------------------------------------------------------ a single partition
SELECT matches(pg_temp.clone('measure_2024', '{}', 'm2024'),
  '^OK: cloned ptab\.measure_2024 as ptab\.m2024, ' ||
  (SELECT count(*) FROM src_measure WHERE logdate >= '2024-01-01' AND logdate < '2025-01-01') || ' rows',
  'table() of a leaf partition clones it as a plain table');
SELECT is((SELECT relkind::text || relispartition::text FROM pg_class WHERE oid = 'ptab.m2024'::regclass), 'rfalse',
  'a standalone table, not attached to anything');
SELECT has_index('ptab', 'm2024', 'm2024_note_idx', 'with its indexes');

------------------------------------------------------------------ dependencies of a plain table
SELECT is(pg_temp.clone_err('ranges'), '42704: type ptab_types.money_pair does not exist on the target',
  'a plain table using a missing composite type: 42704');
SELECT matches(pg_temp.clone('ranges', '{"dependencies": true}'),
  '^OK: cloned ptab\.ranges, 2 rows, 1 index, 1 constraint, 0 triggers, 1 type$',
  'with "dependencies": the composite type is created');
SELECT is((SELECT ((pair).high)::text FROM ptab.ranges WHERE id = 2), '4.00', 'and the rows use it');

------------------------------------------------------------------ dependencies of a schema clone
SELECT is(pgtest.err(format('SELECT pgclone.schema(%L, ''ptab_s'')', pgtest.src())),
  '42704: type ptab_types.priority does not exist on the target', 'schema(): a missing type of another schema is 42704');
SELECT hasnt_schema('ptab_s', 'the failed schema clone created nothing');
SELECT matches(pgtest.try(format('SELECT pgclone.schema(%L, ''ptab_s'', true, ''{"dependencies": true}'')', pgtest.src())),
  '^OK: cloned schema ptab_s: 1 table \(1 row\), 1 type of another schema', 'with "dependencies": created first');
SELECT is((SELECT prio::text || '/' || status FROM ptab_s.orders), 'high/paid', 'the table uses them');
SELECT is(pgtest.err(format('SELECT pgclone.database(%L, true, ''{"dependencies": true}'')', pgtest.src())),
  '22023: option "dependencies" only applies to table and schema clones', 'database(): refused');
SELECT is(pgtest.err(format('SELECT pgclone.table(%L, ''ptab'', ''ranges'', true, ''r2'', ''{"dependencies": 1}'')', pgtest.src())),
  '22023: option "dependencies" must be a boolean', 'a non-boolean value: 22023');

SELECT * FROM finish();
DROP SCHEMA ptab CASCADE;
DROP SCHEMA ptab_far CASCADE;
DROP SCHEMA ptab_s CASCADE;
DROP SCHEMA ptab_types CASCADE;
