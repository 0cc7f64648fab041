-- Structure fidelity of pgclone.table(): types, typmods, arrays, domains,
-- enums, collations, identity (and its sequence position), generated columns,
-- defaults, comments, CHECK/PK/UNIQUE/EXCLUDE, every index kind, triggers that
-- exist on the clone but did not fire during the load.
-- Source: tests/fixtures/20_structure.sql. The types and the trigger function
-- (schema fx) exist on the target too (tests/fixtures/00_prereq.sql).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS struct CASCADE;
DELETE FROM fx.trigger_log;
SELECT plan(41);

SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'struct', 'kitchen_sink')$$),
  '^OK:.*\m500 rows\M', 'struct.kitchen_sink cloned with its 500 rows');
SELECT has_table('struct', 'kitchen_sink', 'struct.kitchen_sink exists');

-- columns
SELECT is((SELECT array_agg(attname || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = 'struct.kitchen_sink'::regclass AND attnum > 0 AND NOT attisdropped),
  ARRAY['id bigint', 'code character varying(12)', 'label text', 'label_icu text', 'qty integer',
        'price numeric(12,3)', 'total numeric', 'tags text[]', 'matrix integer[]', 'flags bit(8)',
        'vflags bit varying(16)', 'ch character(5)', 'ts timestamp(3) without time zone',
        'tstz timestamp(0) with time zone', 'dur interval hour to minute', 'during tsrange',
        'box_col box', 'doc jsonb', 'uid uuid', 'addr inet', 'mood fx.mood', 'amount fx.posint'],
  'columns in source order with exact types, typmods, arrays, enum and domain');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'struct.kitchen_sink'::regclass AND attnum > 0 AND attnotnull),
  ARRAY['id', 'code', 'qty', 'price'], 'NOT NULL on exactly the source''s columns');
SELECT is((SELECT array_agg(a.attname || ' = ' || pg_get_expr(d.adbin, d.adrelid) ORDER BY a.attnum)
             FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'struct.kitchen_sink'::regclass AND a.attgenerated = ''),
  ARRAY['code = ''none''::character varying', 'qty = 1', 'price = 0', 'tags = ''{}''::text[]',
        'tstz = now()', 'mood = ''ok''::fx.mood'],
  'column defaults');
SELECT is((SELECT array_agg(a.attname || ' ' || c.collname ORDER BY a.attnum)
             FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
            WHERE a.attrelid = 'struct.kitchen_sink'::regclass AND a.attnum > 0
              AND c.collname <> 'default'),
  ARRAY['label C', 'label_icu en-x-icu'], 'column collations');

-- identity
SELECT is((SELECT attidentity::text FROM pg_attribute
            WHERE attrelid = 'struct.kitchen_sink'::regclass AND attname = 'id'),
  'a', 'id is GENERATED ALWAYS AS IDENTITY');
SELECT is((SELECT s.seqstart || '/' || s.seqincrement FROM pg_sequence s
            WHERE s.seqrelid = pg_get_serial_sequence('struct.kitchen_sink', 'id')::regclass),
  '1000/7', 'identity sequence START 1000 INCREMENT 7');
SELECT is(pgtest.seq_state('struct.kitchen_sink', 'id'), '4514/true',
  'identity sequence positioned like the source''s (past max(id))');

-- generated column
SELECT is((SELECT a.attgenerated::text || ' ' || pg_get_expr(d.adbin, d.adrelid)
             FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = 'struct.kitchen_sink'::regclass AND a.attname = 'total'),
  's ((qty)::numeric * price)', 'total is GENERATED ALWAYS AS (qty * price) STORED');
SELECT is((SELECT count(*) FROM struct.kitchen_sink WHERE total IS DISTINCT FROM qty * price), 0::bigint,
  'generated values are right on every row');

-- data
SELECT is(pgtest.checksum('SELECT code, label, label_icu, qty, price, tags, matrix, flags, vflags, ch, ts, tstz,
                                  dur, during, box_col, doc, uid, addr, mood, amount FROM struct.kitchen_sink'),
          pgtest.checksum('SELECT * FROM fx.ks_rows()'),
  'every value arrived intact (NULLs, empty strings, tabs, newlines, backslashes, quotes, arrays, infinity)');
SELECT is((SELECT array_agg(id ORDER BY id) FROM struct.kitchen_sink WHERE code IN ('c1', 'c2', 'c500')),
  ARRAY[1000, 1007, 4493]::bigint[], 'identity values copied, not regenerated');
SELECT is((SELECT label FROM struct.kitchen_sink WHERE code = 'c7'),
  E'tab\there "quoted" back\\slash\nnew line 7', 'a value with tab, quote, backslash and newline');

-- comments
SELECT is(obj_description('struct.kitchen_sink'::regclass, 'pg_class'),
  'every column kind pgclone must reproduce', 'table comment');
SELECT is(col_description('struct.kitchen_sink'::regclass, 7), 'generated: qty * price', 'column comment');
SELECT is((SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint
            WHERE conrelid = 'struct.kitchen_sink'::regclass AND conname = 'kitchen_sink_price_check'),
  'prices are sane', 'constraint comment');
SELECT is(obj_description('struct.ks_gin_idx'::regclass, 'pg_class'), 'tag search', 'index comment');

-- constraints
SELECT is(pgtest.constraint_defs('struct.kitchen_sink'),
  ARRAY['kitchen_sink_code_key: UNIQUE (code)',
        'kitchen_sink_no_overlap: EXCLUDE USING gist (during WITH &&)',
        'kitchen_sink_pkey: PRIMARY KEY (id)',
        'kitchen_sink_price_check: CHECK (((price >= (0)::numeric) AND (price < (1000000000)::numeric)))',
        'kitchen_sink_qty_check: CHECK ((qty >= 0))'],
  'CHECK, PRIMARY KEY, UNIQUE and EXCLUDE constraints with their names');

-- indexes of every kind
SELECT is((SELECT array_agg(indexdef ORDER BY indexname) FROM pg_indexes
            WHERE schemaname = 'struct' AND tablename = 'kitchen_sink'),
  ARRAY['CREATE UNIQUE INDEX kitchen_sink_code_key ON struct.kitchen_sink USING btree (code)',
        'CREATE INDEX kitchen_sink_no_overlap ON struct.kitchen_sink USING gist (during)',
        'CREATE UNIQUE INDEX kitchen_sink_pkey ON struct.kitchen_sink USING btree (id)',
        'CREATE INDEX ks_brin_idx ON struct.kitchen_sink USING brin (ts) WITH (pages_per_range=''16'')',
        'CREATE INDEX ks_desc_idx ON struct.kitchen_sink USING btree (ts DESC NULLS LAST, id)',
        'CREATE INDEX ks_expr_idx ON struct.kitchen_sink USING btree (lower(label))',
        'CREATE INDEX ks_gin_idx ON struct.kitchen_sink USING gin (tags)',
        'CREATE INDEX ks_gin_jsonb_idx ON struct.kitchen_sink USING gin (doc jsonb_path_ops)',
        'CREATE INDEX ks_gist_idx ON struct.kitchen_sink USING gist (box_col)',
        'CREATE INDEX ks_hash_idx ON struct.kitchen_sink USING hash (label)',
        'CREATE INDEX ks_include_idx ON struct.kitchen_sink USING btree (code) INCLUDE (qty, price)',
        'CREATE INDEX ks_partial_idx ON struct.kitchen_sink USING btree (qty) WHERE (qty > 10)',
        'CREATE INDEX ks_pattern_idx ON struct.kitchen_sink USING btree (label_icu COLLATE "C" text_pattern_ops)',
        'CREATE UNIQUE INDEX ks_uid_uidx ON struct.kitchen_sink USING btree (uid) WHERE (uid IS NOT NULL)'],

  'partial, expression, INCLUDE, DESC, hash, gin, gist, brin, unique, opclass/collation indexes');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = 'struct.kitchen_sink'::regclass AND NOT indisvalid),
  0::bigint, 'all indexes are valid');

-- triggers: present, not fired by the load, live afterwards
SELECT is(pgtest.trigger_defs('struct.kitchen_sink'),
  ARRAY['ks_after_change: CREATE TRIGGER ks_after_change AFTER INSERT OR UPDATE OF qty ON struct.kitchen_sink FOR EACH ROW EXECUTE FUNCTION fx.log_row()',
        'ks_before_big: CREATE TRIGGER ks_before_big BEFORE INSERT ON struct.kitchen_sink FOR EACH ROW WHEN ((new.qty > 100)) EXECUTE FUNCTION fx.log_row()'],
  'both triggers exist with their definitions');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgrelid = 'struct.kitchen_sink'::regclass
            AND NOT tgisinternal AND tgenabled <> 'O'), 0::bigint, 'triggers are enabled');
SELECT is((SELECT count(*) FROM fx.trigger_log), 0::bigint, 'no trigger fired during the load');
SELECT table_owner_is('struct', 'kitchen_sink', current_user, 'clone owned by the caller');

INSERT INTO struct.kitchen_sink (code, qty, price) VALUES ('fresh', 200, 1);
SELECT is((SELECT array_agg(trg ORDER BY trg) FROM fx.trigger_log WHERE tbl = 'struct.kitchen_sink'),
  ARRAY['ks_after_change', 'ks_before_big'], 'the cloned triggers fire on a new row');
SELECT is((SELECT id FROM struct.kitchen_sink WHERE code = 'fresh'), 4521::bigint,
  'a new row continues the identity sequence where the source left it');

-- BY DEFAULT identity with a not-yet-called sequence
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'struct', 'by_default')$$),
  '^OK:.*\m51 rows\M', 'struct.by_default cloned');
SELECT is((SELECT attidentity::text FROM pg_attribute
            WHERE attrelid = 'struct.by_default'::regclass AND attname = 'id'),
  'd', 'id is GENERATED BY DEFAULT AS IDENTITY');
SELECT is(pgtest.seq_state('struct.by_default', 'id'), '77/false',
  'sequence position and is_called copied (setval(77, false) on the source)');
SELECT is((SELECT s.seqmin || '/' || s.seqmax || '/' || s.seqcache FROM pg_sequence s
            WHERE s.seqrelid = pg_get_serial_sequence('struct.by_default', 'id')::regclass),
  '10/100000/5', 'identity sequence MINVALUE/MAXVALUE/CACHE copied');

-- no column to name in COPY, rows all the same
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'struct', 'no_columns')$$),
  '^OK: cloned struct.no_columns, 3 rows', 'a table without columns: its 3 rows reported');
SELECT is((SELECT count(*) FROM struct.no_columns), 3::bigint, 'a table without columns keeps its rows');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'struct', 'only_generated')$$),
  '^OK: cloned struct.only_generated, 2 rows', 'a table with a generated column only: 2 rows reported');
SELECT is((SELECT count(*) || '/' || sum(seven) FROM struct.only_generated), '2/14',
  'a table with a generated column only keeps its rows, generated again on the target');

-- OID alias types arrive as the names they show, not as the source's OIDs
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'struct', 'catalog_refs')$$),
  '^OK: cloned struct.catalog_refs, 1 row', 'a table of regclass/regtype/regprocedure columns cloned');
SELECT is((SELECT rel = 'struct.no_columns'::regclass AND typ = 'struct.only_generated'::regtype
                  AND fn = 'fx.log_row()'::regprocedure FROM struct.catalog_refs), true,
  'regclass, regtype and regprocedure name the same objects on the target');
SELECT is((SELECT rels FROM struct.catalog_refs), ARRAY['struct.no_columns', 'struct.only_generated']::regclass[],
  'a regclass[] names the same tables on the target');

SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'struct', true,
                 '{"tables": ["no_columns", "only_generated", "catalog_refs"], "conflict": "replace", "parallel": 2}')$$),
  '^OK: cloned schema struct: 3 tables \(6 rows\)', 'the same three tables in a schema clone: 6 rows');
SELECT is((SELECT count(*) FROM struct.no_columns) || '/' || (SELECT count(*) FROM struct.only_generated), '3/2',
  'the schema clone keeps their rows too');
SELECT is((SELECT rel = 'struct.no_columns'::regclass AND typ = 'struct.only_generated'::regtype
                  AND rels = ARRAY['struct.no_columns', 'struct.only_generated']::regclass[] FROM struct.catalog_refs),
  true, 'and its OID alias columns name the recreated tables');

DROP SCHEMA struct CASCADE;
DELETE FROM fx.trigger_log;
SELECT * FROM finish();
