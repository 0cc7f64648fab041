-- pgclone.schema() on the small schema clash (tests/fixtures/61_schema_small.sql):
-- every signature, the objects one by one, and each option: include_data,
-- indexes / constraints / triggers / matviews toggles, schema_ex booleans,
-- tables / exclude_tables (anchored RE2 patterns), parallel, consistent.
-- Source: clash.items 10 rows (sequence clash.counter used 10 times), clash.tags
-- 20, clash.extra_a 5, clash.extra_b 7, clash.log 0 (trigger after the data).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS clash CASCADE;
SELECT plan(71);

-- the reference: 3-argument form, defaults
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'schema(conninfo, name): OK, 5 tables (42 rows)');
SELECT has_schema('clash', 'schema clash created');
SELECT is(obj_description('clash'::regnamespace, 'pg_namespace'), 'small schema for conflicts and options', 'schema comment');
SELECT tables_are('clash', ARRAY['items', 'tags', 'extra_a', 'extra_b', 'log'], 'all five tables');
SELECT views_are('clash', ARRAY['items_v'], 'the view');
SELECT materialized_views_are('clash', ARRAY['color_counts'], 'the materialized view');
SELECT sequences_are('clash', ARRAY['counter', 'log_id_seq'], 'the sequences (own and identity)');
SELECT functions_are('clash', ARRAY['double_it', 'log_it'], 'the functions');
SELECT enum_has_labels('clash', 'color', ARRAY['red', 'green', 'blue'], 'enum with its labels in order');
SELECT is(pgtest.checksum('SELECT * FROM clash.items'),
  pgtest.checksum($$SELECT g, 'item ' || g, (ARRAY['red', 'green', 'blue'])[1 + g % 3]::clash.color, 100 + (g - 1) * 10, g * 2
                    FROM generate_series(1, 10) g$$), 'clash.items: rows identical (incl. sequence default values and generated column)');
SELECT is(pgtest.checksum('SELECT * FROM clash.tags'),
  pgtest.checksum($$SELECT g, t FROM generate_series(1, 10) g, unnest(ARRAY['x', 'y']) t$$), 'clash.tags: rows identical');
SELECT is((SELECT count(*) FROM clash.extra_a) || '/' || (SELECT count(*) FROM clash.extra_b), '5/7', 'extra_a and extra_b rows');
SELECT is(pgtest.seq_pos('clash.counter'), '190/true', 'sequence clash.counter at the source''s position');
SELECT is(pgtest.seq_pos('clash.log_id_seq'), '1/false', 'an unused identity sequence stays uncalled');
SELECT is((SELECT count(*) FROM clash.log), 0::bigint, 'the trigger did not fire during the load');
SELECT is(pgtest.constraint_defs('clash.items'),
  ARRAY['items_name_check: CHECK ((name <> ''''::text))', 'items_pkey: PRIMARY KEY (id)'], 'items: CHECK and PK');
SELECT is(pgtest.constraint_defs('clash.tags'),
  ARRAY['tags_item_id_fkey: FOREIGN KEY (item_id) REFERENCES clash.items(id)', 'tags_pkey: PRIMARY KEY (item_id, tag)'],
  'tags: FK and PK');
SELECT is(pgtest.index_names('clash.items'), ARRAY['items_name_idx', 'items_pkey'], 'items: indexes');
SELECT is(pgtest.index_names('clash.color_counts'), ARRAY['color_counts_color'], 'matview index');
SELECT is(pgtest.trigger_defs('clash.items'),
  ARRAY['items_log: CREATE TRIGGER items_log AFTER INSERT OR UPDATE ON clash.items FOR EACH ROW EXECUTE FUNCTION clash.log_it()'],
  'trigger definition');
SELECT is((SELECT relrowsecurity FROM pg_class WHERE oid = 'clash.items'::regclass), true, 'RLS enabled');
SELECT policies_are('clash', 'items', ARRAY['items_all'], 'policy');
SELECT is((SELECT relispopulated FROM pg_class WHERE oid = 'clash.color_counts'::regclass), true, 'matview populated');
SELECT is(pgtest.checksum('SELECT * FROM clash.color_counts'),
  pgtest.checksum($$VALUES ('red'::clash.color, 3::bigint), ('green', 4), ('blue', 3)$$), 'matview contents');
SELECT is(pgtest.checksum('SELECT * FROM clash.items_v'),
  pgtest.checksum($$SELECT g, 'item ' || g, g * 2 FROM generate_series(1, 10) g$$), 'the view works');
SELECT is(obj_description('clash.items_v'::regclass, 'pg_class'), 'items doubled', 'view comment');
SELECT is(obj_description('clash.items'::regclass, 'pg_class'), 'ten items', 'table comment');
SELECT col_default_is('clash', 'items', 'n', 'nextval(''clash.counter''::regclass)', 'default calls the cloned sequence');
-- the clone works: the trigger fires now, the sequence continues
INSERT INTO clash.items (id, name) VALUES (11, 'new');
SELECT is((SELECT n FROM clash.items WHERE id = 11), 200::bigint, 'the sequence continues where the source was');
SELECT is((SELECT count(*) FROM clash.log), 1::bigint, 'the trigger fires after the clone');
SELECT table_owner_is('clash', 'items', current_user, 'the tables belong to the caller');

-- include_data = false
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', false)$$),
  '^OK: cloned schema clash: 5 tables(?! \()', 'include_data => false: OK, no row count');
SELECT tables_are('clash', ARRAY['items', 'tags', 'extra_a', 'extra_b', 'log'], 'include_data => false: all tables');
SELECT is((SELECT count(*) FROM clash.items) + (SELECT count(*) FROM clash.tags) + (SELECT count(*) FROM clash.extra_b), 0::bigint,
  'include_data => false: no rows');
SELECT is(pgtest.count_in('clash', 'foreign keys') || '/' || pgtest.count_in('clash', 'triggers'), '1/1',
  'include_data => false: FK and trigger there');

-- 4-argument form with NULL options = defaults
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, NULL)$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'NULL options = defaults');
CREATE TEMP TABLE reference AS SELECT pgtest.schema_objects('clash') AS objects, pgtest.schema_data('clash') AS data;
SELECT cmp_ok(cardinality((SELECT objects FROM reference)), '>', 25, 'the reference clone has its objects');

-- toggles
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"indexes": false}')$$), '^OK:', 'indexes=false');
SELECT is(pgtest.count_in('clash', 'plain indexes'), 0::bigint, 'indexes=false: no plain index (tables and matview)');
SELECT is(pgtest.count_in('clash', 'constraints'), 6::bigint, 'indexes=false: constraints still there');
SELECT is(pgtest.count_in('clash', 'triggers'), 1::bigint, 'indexes=false: trigger still there');

DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"constraints": false}')$$), '^OK:', 'constraints=false');
SELECT is(pgtest.count_in('clash', 'constraints'), 0::bigint, 'constraints=false: no CHECK/PK/FK on any table');
SELECT is(pgtest.count_in('clash', 'plain indexes'), 2::bigint, 'constraints=false: plain indexes still there');
SELECT is((SELECT count(*) FROM clash.tags), 20::bigint, 'constraints=false: rows still there');

DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"triggers": false}')$$), '^OK:', 'triggers=false');
SELECT is(pgtest.count_in('clash', 'triggers'), 0::bigint, 'triggers=false: no trigger');
SELECT is(pgtest.count_in('clash', 'constraints'), 6::bigint, 'triggers=false: constraints there');

DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"matviews": false}')$$), '^OK:', 'matviews=false');
SELECT is(pgtest.count_in('clash', 'matviews'), 0::bigint, 'matviews=false: no materialized view');
SELECT views_are('clash', ARRAY['items_v'], 'matviews=false: plain views still there');

DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema_ex(pgtest.src(), 'clash', true)$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'schema_ex with default booleans');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'schema_ex defaults: same objects as schema()');
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema_ex(pgtest.src(), 'clash', true, false, false, false)$$),
  '^OK:', 'schema_ex with every toggle off');
SELECT is(pgtest.count_in('clash', 'indexes') + pgtest.count_in('clash', 'constraints') + pgtest.count_in('clash', 'triggers'),
  0::bigint, 'schema_ex all off: no index, constraint or trigger');
SELECT is((SELECT count(*) FROM clash.items), 10::bigint, 'schema_ex all off: rows there');
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema_ex(pgtest.src(), 'clash', false, true, false, true)$$),
  '^OK:', 'schema_ex include_constraints => false only');
SELECT is(pgtest.count_in('clash', 'constraints') || '/' || pgtest.count_in('clash', 'plain indexes') || '/' || pgtest.count_in('clash', 'triggers'),
  '0/2/1', 'schema_ex: constraints off, indexes and triggers on');

-- tables / exclude_tables
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"exclude_tables": ["extra_.*"]}')$$),
  '^OK: cloned schema clash: 3 tables \(30 rows\)', 'exclude_tables extra_.*: 3 tables (30 rows)');
SELECT is(pgtest.table_names('clash'), ARRAY['items', 'log', 'tags'], 'exclude_tables: the extra tables are left out');
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"tables": ["items", "log", "clash\\.extra_a"]}')$$),
  '^OK: cloned schema clash: 3 tables \(15 rows\)', 'tables by bare and by qualified name: 3 tables (15 rows)');
SELECT is(pgtest.table_names('clash'), ARRAY['extra_a', 'items', 'log'], 'tables: exactly the listed ones');
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"exclude_tables": ["extra", "xtra_a", "tag"]}')$$),
  '^OK: cloned schema clash: 5 tables', 'regexes are anchored: extra / xtra_a / tag exclude nothing');
SELECT is(pgtest.table_names('clash'), ARRAY['extra_a', 'extra_b', 'items', 'log', 'tags'], 'anchored: all tables there');
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"tables": ["items|log|tags"], "exclude_tables": ["log"]}')$$),
  '^OK: cloned schema clash: 2 tables \(30 rows\)', 'tables and exclude_tables combine (exclude wins)');
SELECT is(pgtest.table_names('clash'), ARRAY['items', 'tags'], 'tables minus exclude_tables');

-- parallel, consistent
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"parallel": 3}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'parallel=3');
SELECT is(pgtest.schema_objects('clash'), (SELECT objects FROM reference), 'parallel=3: same objects');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM reference), 'parallel=3: same rows');
DROP SCHEMA clash CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'clash', true, '{"consistent": false, "parallel": 2}')$$),
  '^OK: cloned schema clash: 5 tables \(42 rows\)', 'consistent=false');
SELECT is(pgtest.schema_data('clash'), (SELECT data FROM reference), 'consistent=false: same rows (nothing writes to clash)');

DROP TABLE reference;
DROP SCHEMA clash CASCADE;
SELECT * FROM finish();
