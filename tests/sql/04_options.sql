-- Options of pgclone.table() and the booleans of pgclone.table_ex():
-- columns, where, indexes/constraints/triggers toggles, target names.
-- Source: opt.people (tests/fixtures/30_options.sql), 1000 rows, age = id % 100.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS opt CASCADE;
DELETE FROM fx.trigger_log;
SELECT plan(37);

-- Reference clone with everything.
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people')$$),
  '^OK:.*\m1000 rows\M', 'opt.people cloned with defaults');
SELECT is(pgtest.index_names('opt.people'),
  ARRAY['people_city_idx', 'people_email_key', 'people_lower_email_idx', 'people_name_idx', 'people_pkey'],
  'reference clone has all five indexes');
SELECT is(cardinality(pgtest.constraint_defs('opt.people')), 4, 'reference clone has all four constraints');
SELECT is(cardinality(pgtest.trigger_defs('opt.people')), 1, 'reference clone has the trigger');

-- columns: only those; indexes/constraints needing others are left out
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', true, 'people_cols',
                              '{"columns": ["id", "email", "name"]}')$$),
  '^OK:.*\m1000 rows\M', 'columns option accepted');
SELECT columns_are('opt', 'people_cols', ARRAY['id', 'name', 'email'], 'only the listed columns exist');
SELECT is(pgtest.checksum('SELECT id, name, email FROM opt.people_cols'),
  pgtest.checksum('SELECT id, name, email FROM fx.people_rows()'), 'their values are right');
SELECT is((SELECT array_agg(pg_get_constraintdef(oid) ORDER BY pg_get_constraintdef(oid)) FROM pg_constraint
            WHERE conrelid = 'opt.people_cols'::regclass),
  ARRAY['PRIMARY KEY (id)', 'UNIQUE (email)'],
  'constraints on kept columns kept; CHECKs on age/city left out');
SELECT matches((SELECT string_agg(regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', ''), '; ' ORDER BY indexrelid)
                  FROM pg_index WHERE indrelid = 'opt.people_cols'::regclass AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)),
  '^btree \(lower\(email\)\)$',
  'the expression index on email kept; indexes needing city/age left out');
SELECT col_not_null('opt', 'people_cols', 'email', 'NOT NULL kept on a listed column');

-- where: a row filter evaluated on the source
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', true, 'people_old',
                              '{"where": "age >= 90 AND city <> ''Oslo''"}')$$),
  '^OK:.*\m80 rows\M', 'where option filters rows (80 of 1000)');
SELECT is(pgtest.checksum('SELECT * FROM opt.people_old'),
  pgtest.checksum($$SELECT * FROM fx.people_rows() WHERE age >= 90 AND city <> 'Oslo'$$),
  'exactly the matching rows');
SELECT is(cardinality(pgtest.index_names('opt.people_old')), 5, 'a filtered clone keeps all indexes');

-- columns + where together
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', true, 'people_both',
                              '{"columns": ["id", "age"], "where": "id <= 10"}')$$),
  '^OK:.*\m10 rows\M', 'columns and where combine');
SELECT is(pgtest.checksum('SELECT * FROM opt.people_both'),
  pgtest.checksum('SELECT id, age FROM fx.people_rows() WHERE id <= 10'), 'columns and where: right rows');

-- toggles in the options JSON
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', false, 'people_noidx',
                              '{"indexes": false}')$$), '^OK:', 'indexes=false accepted');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = 'opt.people_noidx'::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)),
  0::bigint, 'indexes=false: no plain indexes');
SELECT is(cardinality(pgtest.constraint_defs('opt.people_noidx')), 4, 'indexes=false: constraints still there');

SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', false, 'people_nocon',
                              '{"constraints": false}')$$), '^OK:', 'constraints=false accepted');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conrelid = 'opt.people_nocon'::regclass
            AND contype IN ('c', 'p', 'u', 'x', 'f')), 0::bigint, 'constraints=false: no CHECK/PK/UNIQUE');
SELECT has_index('opt', 'people_nocon', 'people_nocon_city_idx', ARRAY['city'],
  'constraints=false: plain indexes still there');

SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', false, 'people_notrg',
                              '{"triggers": false}')$$), '^OK:', 'triggers=false accepted');
SELECT is(pgtest.trigger_defs('opt.people_notrg'), '{}'::text[], 'triggers=false: no trigger');
SELECT is(cardinality(pgtest.index_names('opt.people_notrg')), 5, 'triggers=false: indexes still there');

SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'opt', 'people', true, 'people_bare',
                              '{"indexes": false, "constraints": false, "triggers": false}')$$),
  '^OK:.*\m1000 rows\M', 'all three toggles off');
SELECT is(pgtest.index_names('opt.people_bare') || pgtest.constraint_defs('opt.people_bare')
            || pgtest.trigger_defs('opt.people_bare'), '{}'::text[], 'bare table: nothing but columns');

-- table_ex booleans
SELECT matches(pgtest.try($$SELECT pgclone.table_ex(pgtest.src(), 'opt', 'people', true, 'people_ex_all')$$),
  '^OK:.*\m1000 rows\M', 'table_ex with default booleans');
SELECT ok(cardinality(pgtest.index_names('opt.people_ex_all')) = 5
          AND cardinality(pgtest.constraint_defs('opt.people_ex_all')) = 4
          AND cardinality(pgtest.trigger_defs('opt.people_ex_all')) = 1, 'table_ex defaults include everything');
SELECT matches(pgtest.try($$SELECT pgclone.table_ex(pgtest.src(), 'opt', 'people', false, 'people_ex_noidx', false, true, true)$$),
  '^OK:', 'table_ex include_indexes => false');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = 'opt.people_ex_noidx'::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)),
  0::bigint, 'table_ex include_indexes => false: no plain indexes');
SELECT matches(pgtest.try($$SELECT pgclone.table_ex(pgtest.src(), 'opt', 'people', false, 'people_ex_nocon', true, false, true)$$),
  '^OK:', 'table_ex include_constraints => false');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conrelid = 'opt.people_ex_nocon'::regclass
            AND contype IN ('c', 'p', 'u', 'x', 'f')), 0::bigint, 'table_ex include_constraints => false: none');
SELECT matches(pgtest.try($$SELECT pgclone.table_ex(pgtest.src(), 'opt', 'people', false, 'people_ex_notrg', true, true, false)$$),
  '^OK:', 'table_ex include_triggers => false');
SELECT is(pgtest.trigger_defs('opt.people_ex_notrg'), '{}'::text[], 'table_ex include_triggers => false: none');

-- a clone under another name next to the original: names adapted, no collision
SELECT is(pgtest.index_names('opt.people_ex_all'),
  ARRAY['people_ex_all_city_idx', 'people_ex_all_email_key', 'people_ex_all_lower_email_idx',
        'people_ex_all_name_idx', 'people_ex_all_pkey'],
  'index names adapted to the target table name');
SELECT is((SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint
            WHERE conrelid = 'opt.people_ex_all'::regclass),
  ARRAY['people_ex_all_age_check', 'people_ex_all_email_key', 'people_ex_all_name_city_check', 'people_ex_all_pkey'],
  'constraint names adapted to the target table name');
SELECT is((SELECT count(*) FROM fx.trigger_log), 0::bigint, 'no trigger fired during any of these loads');

DROP SCHEMA opt CASCADE;
SELECT * FROM finish();
