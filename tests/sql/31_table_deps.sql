-- pgclone.table() brings the sequences its column defaults call and that the
-- table does not own. Source: tests/fixtures/64_table_deps.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS tdeps CASCADE;
DROP SCHEMA IF EXISTS tdeps_ext CASCADE;
SELECT plan(33);

-- A stand-alone sequence (no OWNED BY): created, with its parameters and position.
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'actor')$$),
  '^OK: cloned tdeps\.actor, 5 rows, 1 index, 1 constraint, 0 triggers, 1 sequence$',
  'table() of a table whose default calls a foreign sequence succeeds and says 1 sequence');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'tdeps.actor_actor_id_seq'::regclass), 'S',
  'the sequence was created on the target');
SELECT is((SELECT array[seqstart, seqincrement, seqcache]::text FROM pg_sequence
            WHERE seqrelid = 'tdeps.actor_actor_id_seq'::regclass), '{10,3,1}', 'with the source''s parameters');
SELECT is((SELECT last_value || '/' || is_called FROM tdeps.actor_actor_id_seq), '22/true',
  'positioned like the source''s');
SELECT is((SELECT count(*) FROM pg_depend WHERE classid = 'pg_class'::regclass
            AND objid = 'tdeps.actor_actor_id_seq'::regclass AND deptype = 'a'), 0::bigint,
  'it stays without OWNED BY, as on the source');
INSERT INTO tdeps.actor (name) VALUES ('new');
SELECT is((SELECT max(actor_id) FROM tdeps.actor), 25, 'nextval on the target continues after the source''s last value');
SELECT is((SELECT count(*) FROM tdeps.actor), 6::bigint, 'the 5 rows arrived');

-- One sequence in another schema, two tables cloned one after the other.
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'film')$$),
  '^OK: cloned tdeps\.film, 2 rows, .*, 1 sequence$', 'the first table creates the shared sequence');
SELECT has_schema('tdeps_ext', 'the sequence''s schema was created on the target');
SELECT is((SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'tdeps_ext.shared_seq'::regclass),
  'bigint', 'the shared sequence keeps its type');
SELECT is((SELECT last_value || '/' || is_called FROM tdeps_ext.shared_seq), '102/true',
  'positioned at the source''s last value (used by both source tables)');
SELECT is(nextval('tdeps_ext.shared_seq'), 103::bigint, 'a value taken on the target (the second clone must keep it)');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'film_copy')$$),
  '^OK: cloned tdeps\.film_copy, 1 row, 1 index, 1 constraint, 0 triggers$',
  'the second table reuses it: no sequence in the result');
SELECT is((SELECT last_value FROM tdeps_ext.shared_seq), 103::bigint, 'the existing sequence is not repositioned');
INSERT INTO tdeps.film_copy (title) VALUES ('d');
SELECT is((SELECT max(id) FROM tdeps.film_copy), 104::bigint, 'the second table''s default calls the same sequence');

-- A sequence owned by another table: created without OWNED BY.
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'borrower')$$),
  '^OK: cloned tdeps\.borrower, 2 rows, .*, 1 sequence$', 'a sequence owned by another table is created');
SELECT is((SELECT count(*) FROM pg_depend WHERE classid = 'pg_class'::regclass
            AND objid = 'tdeps.owner_tbl_id_seq'::regclass AND deptype = 'a'), 0::bigint,
  'without OWNED BY (the owner table is not cloned)');
SELECT is((SELECT last_value || '/' || is_called FROM tdeps.owner_tbl_id_seq), '6/true', 'positioned like the source''s');

-- A sequence of that name exists on the target: kept and used, not repositioned.
CREATE SEQUENCE tdeps.reused_seq START WITH 1000;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'reused')$$),
  '^OK: cloned tdeps\.reused, 2 rows, 0 indexes, 0 constraints, 0 triggers$', 'an existing target sequence is reused');
SELECT is((SELECT last_value || '/' || is_called FROM tdeps.reused_seq), '1000/false', 'and not repositioned');
SELECT is(pg_get_expr(d.adbin, d.adrelid), 'nextval(''tdeps.reused_seq''::regclass)',
  'the default calls the existing sequence')
  FROM pg_attrdef d WHERE d.adrelid = 'tdeps.reused'::regclass;

-- Renamed target table: the default keeps calling the source sequence's name.
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'renamed_src', true, 'renamed_dst')$$),
  '^OK: cloned tdeps\.renamed_src as tdeps\.renamed_dst, 0 rows, .*, 1 sequence$', 'a renamed clone creates the sequence too');
SELECT is(pg_get_expr(d.adbin, d.adrelid), 'nextval(''tdeps.renamed_seq''::regclass)',
  'the renamed table''s default calls the sequence by its source name')
  FROM pg_attrdef d WHERE d.adrelid = 'tdeps.renamed_dst'::regclass;
INSERT INTO tdeps.renamed_dst (v) VALUES ('x');
SELECT is((SELECT id FROM tdeps.renamed_dst), 77, 'a not-yet-called position is kept (next value 77)');

-- The name is taken by another kind of relation: 42P07, nothing left behind.
CREATE TABLE tdeps.clash_seq (x integer);
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'clash')$$),
  '^42P07: relation tdeps\.clash_seq already exists on the target and is not a sequence$',
  'a non-sequence relation with the sequence''s name: 42P07');
SELECT hasnt_table('tdeps', 'clash', 'the failed clone left no table behind');

-- Columns without the default: no sequence needed, none created.
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'partial', true, NULL, '{"columns": ["v"]}')$$),
  '^OK: cloned tdeps\.partial, 1 row, 0 indexes, 0 constraints, 0 triggers$', 'columns leaving the default out');
SELECT ok(NOT pgtest.rel_exists('tdeps', 'partial_seq'), 'the sequence of a column not cloned is not created');

-- The table's own serial: unchanged behaviour (OWNED BY, not counted).
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'own_serial')$$),
  '^OK: cloned tdeps\.own_serial, 3 rows, 1 index, 1 constraint, 0 triggers$', 'own serial: result as before');
SELECT is(pg_get_serial_sequence('tdeps.own_serial', 'id'), 'tdeps.own_serial_id_seq', 'own serial keeps OWNED BY');
SELECT is(pgtest.seq_state('tdeps.own_serial', 'id'), '3/true', 'own serial positioned');

-- A partitioned table comes with its partitions (tests/sql/33_table_partitioned.sql tests the rest).
SELECT is(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'tdeps', 'parted')$$),
  'OK: cloned partitioned table tdeps.parted with 1 partition, 0 rows, 0 indexes, 0 constraints, 0 triggers',
  'table() of a partitioned table clones its tree');
SELECT is((SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'tdeps.parted_1'::regclass),
  'tdeps.parted', 'its partition is created and attached');

DROP SCHEMA tdeps CASCADE;
DROP SCHEMA tdeps_ext CASCADE;
SELECT * FROM finish();
