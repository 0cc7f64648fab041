-- Every object kind of issue 3, checked one by one on a clone of the rich
-- schemas of tests/fixtures/60_schema_rich.sql (shop with "parallel": 3, and
-- "Lager ""Ω"" ü"). The pg_dump comparison of the same schemas is
-- tests/integration/schema_fidelity.sh; this file says *what* broke.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS shop CASCADE;
DROP SCHEMA IF EXISTS "Lager ""Ω"" ü" CASCADE;
DROP EXTENSION IF EXISTS citext CASCADE;
SELECT plan(119);

SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'shop', true, '{"parallel": 3}')$$),
  '^OK: cloned schema shop: 19 tables \(342520 rows\), 11 views, 3 materialized views, ',
  'shop cloned with parallel=3: 19 tables (342520 rows), 11 views, 3 materialized views');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'citext'), 'public',
  'extension citext, which shop needs, was created on the target (in public, as on the source)');

-- types
SELECT enum_has_labels('shop', 'order_status', ARRAY['new', 'paid', 'shipped', 'refunded', 'cancelled'],
  'enum labels in order (incl. one added BEFORE another)');
SELECT is((SELECT array_agg(conname || ' ' || convalidated ORDER BY conname) FROM pg_constraint
            WHERE contypid = 'shop.money_amount'::regtype),
  ARRAY['money_amount_nonnegative true', 'money_amount_sane false'], 'domain constraints, one NOT VALID');
SELECT is((SELECT typnotnull || ' ' || typdefault || ' ' || format_type(typbasetype, typtypmod) FROM pg_type
            WHERE oid = 'shop.money_amount'::regtype), 'true 0 numeric(12,2)', 'domain NOT NULL, DEFAULT, base type');
SELECT is((SELECT format_type(typbasetype, typtypmod) FROM pg_type WHERE oid = 'shop.email'::regtype), 'citext',
  'domain over an extension type');
SELECT is((SELECT array_agg(attname || ' ' || format_type(atttypid, atttypmod)
                             || CASE WHEN attcollation NOT IN (0, 100) THEN ' ' || attcollation::regcollation::text ELSE '' END ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'shop.address'::regtype) AND attnum > 0),
  ARRAY['street text "C"', 'city text', 'zip character varying(10)'], 'composite type attributes with collation');
SELECT is((SELECT rngsubtype::regtype::text || ' ' || rngmultitypid::regtype::text || ' ' || rngsubdiff::regproc::text
             FROM pg_range WHERE rngtypid = 'shop.float_range'::regtype),
  'double precision shop.float_multirange float8mi', 'range type with subtype diff and named multirange');
SELECT is((SELECT collname FROM pg_range r JOIN pg_collation c ON c.oid = r.rngcollation
            WHERE rngtypid = 'shop.text_range'::regtype), 'C', 'range type with collation');
SELECT is((SELECT collprovider::text || ' ' || collisdeterministic FROM pg_collation
            WHERE collname = 'ci ü' AND collnamespace = 'shop'::regnamespace), 'i false', 'non-deterministic ICU collation');

-- sequences: parameters, positions, ownership
SELECT is((SELECT format('%s %s %s %s %s %s', seqtypid::regtype, seqstart, seqincrement, seqmin, seqmax, seqcache) || ' ' || seqcycle
             FROM pg_sequence WHERE seqrelid = 'shop.invoice_no'::regclass),
  'integer 1000 7 10 99999999 3 true', 'sequence parameters (type, start, increment, min, max, cache, cycle)');
SELECT is(pgtest.seq_pos('shop.invoice_no'), '1051035/true', 'invoice_no at the source''s position');
SELECT is(pgtest.seq_pos('shop.scratch_seq') || ' ' || (SELECT relpersistence::text FROM pg_class WHERE oid = 'shop.scratch_seq'::regclass),
  '-4/true u', 'descending UNLOGGED sequence, position kept');
SELECT is(pgtest.seq_pos('shop.never_used'), '3/false', 'unused sequence stays uncalled');
SELECT is(pgtest.seq_pos('shop.set_not_called'), '42/false', 'setval(..., false) kept');
SELECT is(pg_get_serial_sequence('shop.tickets', 'id'), 'shop.ticket_seq', 'separate sequence OWNED BY tickets.id');
SELECT is(pgtest.seq_pos('shop.ticket_seq'), '30497/true', 'ticket_seq position');
SELECT is(pgtest.seq_pos(pg_get_serial_sequence('shop.customers', 'id')), '30000/true', 'identity sequence position');

-- tables
SELECT is((SELECT string_agg(attname || ':' || attidentity::text || attgenerated::text, ',' ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'shop.products'::regclass AND attnum > 0 AND NOT attisdropped AND (attidentity <> '' OR attgenerated <> '')),
  'id:d,label:s', 'identity BY DEFAULT and a stored generated column calling a function');
SELECT is((SELECT attidentity::text FROM pg_attribute WHERE attrelid = 'shop.customers'::regclass AND attname = 'id'), 'a',
  'identity ALWAYS');
SELECT columns_are('shop', 'products', ARRAY['id', 'sku', 'price', 'tags', 'doc', 'spot', 'name_range', 'label'],
  'a dropped column is not resurrected');
SELECT col_default_is('shop', 'orders', 'invoice', 'shop.next_invoice()', 'default calling a function');
SELECT is((SELECT partstrat::text FROM pg_partitioned_table WHERE partrelid = 'shop.orders'::regclass) ||
          (SELECT partstrat::text FROM pg_partitioned_table WHERE partrelid = 'shop.orders_2024'::regclass) ||
          (SELECT partstrat::text FROM pg_partitioned_table WHERE partrelid = 'shop.tickets'::regclass), 'rrh',
  'range, range sub-partitioned, hash partitioning');
SELECT is((SELECT array_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) ORDER BY c.relname)
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'shop.orders_2024'::regclass),
  ARRAY['orders_2024_h1 FOR VALUES FROM (''2024-01-01'') TO (''2024-07-01'')', 'orders_2024_rest DEFAULT'],
  'sub-partitions with bounds and a default partition');
SELECT is((SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'shop.orders_default'::regclass), 'DEFAULT',
  'attached default partition');
SELECT col_default_is('shop', 'orders_2024_h1', 'region', 'us'::text, 'partition with its own column default');
SELECT is((SELECT count(*) FROM pg_inherits WHERE inhparent = 'shop.orders_customer_idx'::regclass), 3::bigint,
  'partitioned index attached on the three direct partitions');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'shop.orders_pkey'::regclass), 'I', 'partitioned primary key index');
SELECT is((SELECT array_agg(inhparent::regclass::text) FROM pg_inherits WHERE inhrelid = 'shop.click_events'::regclass),
  ARRAY['shop.events'], 'inheritance');
SELECT is((SELECT count(*) FROM shop.events), 40000::bigint, 'inheritance: the parent sees its own and the child''s rows once');
SELECT is((SELECT relpersistence::text || ' ' || relreplident::text || ' ' || array_to_string(reloptions, ',') FROM pg_class
            WHERE oid = 'shop.session_cache'::regclass),
  'u f fillfactor=70,autovacuum_enabled=false', 'UNLOGGED, REPLICA IDENTITY FULL, storage parameters');
SELECT is((SELECT attstattarget FROM pg_attribute WHERE attrelid = 'shop.order_lines'::regclass AND attname = 'qty'), 300,
  'column statistics target');
SELECT is((SELECT indisclustered FROM pg_index WHERE indexrelid = 'shop.products_price_idx'::regclass), true, 'CLUSTER ON kept');

-- constraints
SELECT is(pgtest.constraint_defs('shop.customers'),
  ARRAY['customers_name_check: CHECK ((name <> ''''::text))', 'customers_pkey: PRIMARY KEY (id)',
        'customers_referred_by_fkey: FOREIGN KEY (referred_by) REFERENCES shop.customers(id) ON DELETE SET NULL'],
  'self-referencing FK (and a CHECK made NOT VALID inside CREATE TABLE, hence valid)');
SELECT is((SELECT conname || ' ' || condeferrable || ' ' || condeferred FROM pg_constraint WHERE conname = 'departments_manager_fkey' AND conrelid = 'shop.departments'::regclass),
  'departments_manager_fkey true false', 'FK cycle: departments -> employees, DEFERRABLE');
SELECT is((SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'employees_dept_id_fkey' AND conrelid = 'shop.employees'::regclass),
  'FOREIGN KEY (dept_id) REFERENCES shop.departments(id)', 'FK cycle: employees -> departments');
SELECT is((SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'order_lines_product_fkey' AND conrelid = 'shop.order_lines'::regclass),
  'FOREIGN KEY (product_id) REFERENCES shop.products(id) DEFERRABLE INITIALLY DEFERRED', 'FK DEFERRABLE INITIALLY DEFERRED');
SELECT is((SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'order_lines_order_id_ordered_at_fkey' AND conrelid = 'shop.order_lines'::regclass AND conparentid = 0),
  'FOREIGN KEY (order_id, ordered_at) REFERENCES shop.orders(id, ordered_at) ON DELETE CASCADE', 'composite FK to a partitioned table');
SELECT is((SELECT condeferrable || ' ' || condeferred FROM pg_constraint WHERE conname = 'products_sku_key' AND conrelid = 'shop.products'::regclass),
  'true true', 'deferrable UNIQUE');
SELECT is((SELECT convalidated FROM pg_constraint WHERE conname = 'events_payload_check' AND conrelid = 'shop.events'::regclass), false, 'NOT VALID check on an inheritance parent');
SELECT is((SELECT connoinherit FROM pg_constraint WHERE conname = 'events_no_inherit' AND conrelid = 'shop.events'::regclass), true, 'NO INHERIT check');
SELECT is((SELECT format_type(typbasetype, typtypmod) FROM pg_type WHERE oid = 'shop.positive_money'::regtype), 'shop.money_amount',
  'domain over a domain');
SELECT is((SELECT array_agg(id ORDER BY id) FROM shop.refunds), ARRAY(SELECT g * 7 FROM generate_series(1, 500) g),
  'identity values of shop.refunds (START 7 INCREMENT 7)');
SELECT is(pgtest.checksum('SELECT order_id, ordered_at, amount, dept, history FROM shop.refunds'),
  pgtest.checksum($$SELECT o.id, o.ordered_at, (1 + o.id % 50)::shop.positive_money,
                      CASE WHEN o.id % 3 = 0 THEN ROW(o.id % 20, 'dept', NULL)::shop.departments END,
                      ARRAY['new', 'paid', 'refunded']::shop.order_status[]
                    FROM shop.orders o WHERE o.id % 300 = 0$$), 'row-type and enum-array columns intact');

-- indexes
SELECT is((SELECT array_agg(DISTINCT am.amname::text ORDER BY am.amname::text) FROM pg_class c JOIN pg_am am ON am.oid = c.relam
            WHERE c.relnamespace = 'shop'::regnamespace AND c.relkind IN ('i', 'I')),
  ARRAY['brin', 'btree', 'gin', 'gist', 'hash', 'spgist'], 'every index access method');
SELECT is(pg_get_indexdef('shop.customers_nick_key'::regclass),
  'CREATE UNIQUE INDEX customers_nick_key ON shop.customers USING btree (nick) NULLS NOT DISTINCT', 'NULLS NOT DISTINCT');
SELECT is(pg_get_indexdef('shop.products_sku_pattern'::regclass),
  'CREATE INDEX products_sku_pattern ON shop.products USING btree (sku text_pattern_ops) INCLUDE (price)', 'opclass + INCLUDE');
SELECT is(pg_get_indexdef('shop.products_lower_sku'::regclass),
  'CREATE INDEX products_lower_sku ON shop.products USING btree (lower(sku)) WHERE (price > (1)::numeric)', 'partial expression index');

-- views and matviews
SELECT is((SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'shop.live_customers'::regclass),
  'security_barrier=true,check_option=cascaded', 'security_barrier view WITH CASCADED CHECK OPTION');
SELECT is((SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'shop.paid_customers'::regclass),
  'check_option=local', 'view on a view WITH LOCAL CHECK OPTION');
SELECT is((SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'shop.invoker_view'::regclass),
  'security_invoker=true', 'security_invoker view');
SELECT is((SELECT count(*) FROM shop.big_customers), (SELECT count(*) FROM (
    SELECT customer_id FROM shop.orders GROUP BY customer_id HAVING sum(amount) > 1000) s), 'view on a view calling a function works');
SELECT is((SELECT array_agg(id ORDER BY id) FROM shop.vip), ARRAY[1, 2, 3]::bigint[], 'view <-> function cycle works');
SELECT is((SELECT relispopulated FROM pg_class WHERE oid = 'shop.customer_stats'::regclass) || ' ' ||
          (SELECT relispopulated FROM pg_class WHERE oid = 'shop.top_stats'::regclass) || ' ' ||
          (SELECT relispopulated FROM pg_class WHERE oid = 'shop.never_refreshed'::regclass),
  'true true false', 'matviews populated as on the source (one WITH NO DATA)');
SELECT is(pgtest.checksum('SELECT * FROM shop.customer_stats'),
  pgtest.checksum('SELECT customer_id, count(*), sum(amount) FROM shop.orders GROUP BY customer_id'), 'matview contents');
SELECT is(pgtest.index_names('shop.customer_stats'), ARRAY['customer_stats_pk', 'customer_stats_total'], 'matview indexes');
SELECT is((SELECT string_agg(attname || ' ' || attcompression::text || attstorage::text || ' ' || attstattarget || ' ' ||
                              coalesce((SELECT string_agg(option_name || '=' || option_value, ',') FROM pg_options_to_table(attoptions)
                                        WHERE left(option_name, 3) <> 'pg_'), '-'), '; ' ORDER BY attnum)
            FROM pg_attribute WHERE attrelid = 'shop.customer_stats'::regclass AND attnum > 0),
  'customer_id p -1 n_distinct=-1; orders p 500 -; total le -1 -',
  'matview column settings: compression, storage, statistics target, options');

-- routines
SELECT is((SELECT string_agg(proname || ':' || prokind::text || ':' || (prosqlbody IS NOT NULL), ',' ORDER BY proname) FROM pg_proc
            WHERE pronamespace = 'shop'::regnamespace AND proname IN ('net_price', 'order_count', 'archive_before', 'sum_squares', 'vip_rows')),
  'archive_before:p:false,net_price:f:true,order_count:f:true,sum_squares:a:false,vip_rows:f:false',
  'functions (SQL-standard bodies kept), procedure, aggregate');
SELECT is((SELECT prosecdef || ' ' || array_to_string(proconfig, ',') || ' ' || provolatile::text || ' ' || proisstrict
             FROM pg_proc WHERE oid = 'shop.label_of(bigint, text)'::regprocedure),
  'true search_path=pg_catalog i true', 'SECURITY DEFINER, SET search_path, IMMUTABLE STRICT');
SELECT is((SELECT aggkind::text || ' ' || aggmtransfn::text || ' ' || aggminvtransfn::text FROM pg_aggregate
            WHERE aggfnoid = 'shop.sum_squares(numeric)'::regprocedure),
  'n shop.square_acc shop.square_inv', 'moving-aggregate functions');
SELECT is((SELECT aggkind::text FROM pg_aggregate WHERE aggfnoid = 'shop.first_in_order(text)'::regprocedure), 'o',
  'ordered-set aggregate');
SELECT is((SELECT shop.sum_squares(x) FROM (VALUES (1), (2), (3)) v(x)), 14::numeric, 'the aggregate works');

-- triggers
SELECT is((SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'products_price'),
  'CREATE TRIGGER products_price BEFORE UPDATE OF price ON shop.products FOR EACH ROW WHEN ((old.price IS DISTINCT FROM new.price)) EXECUTE FUNCTION shop.audit()',
  'row trigger with UPDATE OF and WHEN');
SELECT is((SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'order_lines_stmt'),
  'CREATE TRIGGER order_lines_stmt AFTER INSERT OR DELETE ON shop.order_lines FOR EACH STATEMENT EXECUTE FUNCTION shop.audit()',
  'statement trigger');
SELECT is((SELECT string_agg(tgname || ':' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger
            WHERE tgname IN ('events_audit', 'click_always', 'customers_audit')),
  'click_always:A,customers_audit:O,events_audit:D', 'trigger enable states (ALWAYS, ORIGIN, DISABLED)');
SELECT is((SELECT string_agg(tgrelid::regclass::text || ':' || tgenabled::text, ',' ORDER BY tgrelid::regclass::text)
           FROM pg_trigger WHERE tgname = 'orders_audit'),
  'shop.orders:O,shop.orders_2023:D,shop.orders_2024:R,shop.orders_2024_h1:R,shop.orders_2024_rest:O,shop.orders_default:O',
  'a partition''s own state of its parent''s trigger (DISABLE on one, REPLICA on a sub-tree, ORIGIN below it) survives');
SELECT is((SELECT tgconstraint <> 0 AND tgdeferrable AND tginitdeferred FROM pg_trigger WHERE tgname = 'employees_check'), true,
  'deferrable constraint trigger');
SELECT is((SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'vip_insert'),
  'CREATE TRIGGER vip_insert INSTEAD OF INSERT ON shop.vip FOR EACH ROW EXECUTE FUNCTION shop.vip_insert()', 'INSTEAD OF trigger on a view');
SELECT is((SELECT count(*) FROM shop.audit_log), 0::bigint, 'the audit log is empty: nothing fired during the load');

-- RLS, policies, rules
SELECT is((SELECT relrowsecurity || ' ' || relforcerowsecurity FROM pg_class WHERE oid = 'shop.customers'::regclass),
  'true true', 'ENABLE + FORCE ROW LEVEL SECURITY');
SELECT is((SELECT array_agg(polname || ' ' || polcmd::text || ' ' || polpermissive || ' ' ||
                             (SELECT string_agg(x, '+' ORDER BY x) FROM (SELECT CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END FROM unnest(polroles) r) u(x))
                             ORDER BY polname) FROM pg_policy WHERE polrelid = 'shop.customers'::regclass),
  ARRAY['customers_all * true public', 'customers_read r true shop_reader', 'Ünï restrict w false "Ünï Prüfer"+shop_reader'],
  'policies: command, permissive/restrictive, roles');
SELECT is((SELECT pg_get_expr(polwithcheck, polrelid) FROM pg_policy WHERE polname = 'customers_all'),
  '((balance)::numeric >= (0)::numeric)', 'policy WITH CHECK');
SELECT is((SELECT array_agg(rulename::text ORDER BY rulename) FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
            WHERE c.relnamespace = 'shop'::regnamespace AND rulename <> '_RETURN'),
  ARRAY['audit_log_no_delete', 'product_prices_upd'], 'rules on a table and on a view');

-- statistics objects and comments
SELECT is((SELECT stxkind::text || ' ' || stxstattarget FROM pg_statistic_ext WHERE stxname = 'tickets_0_stats'),
  '{d,f} 500', 'extended statistics with their target');
SELECT is((SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'customers_expr_stats' AND stxexprs IS NOT NULL), 1::bigint,
  'expression statistics');
SELECT is(ARRAY[obj_description('shop'::regnamespace, 'pg_namespace'),
                obj_description('shop.order_status'::regtype, 'pg_type'),
                (SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conname = 'money_amount_nonnegative'),
                obj_description('shop.sum_squares(numeric)'::regprocedure, 'pg_proc'),
                obj_description('shop.archive_before(date)'::regprocedure, 'pg_proc'),
                obj_description('shop.invoice_no'::regclass, 'pg_class'),
                col_description('shop.customer_orders'::regclass, 5),
                col_description((SELECT typrelid FROM pg_type WHERE oid = 'shop.address'::regtype), 3),
                obj_description('shop.customer_stats'::regclass, 'pg_class'),
                obj_description('shop.orders_customer_idx'::regclass, 'pg_class'),
                (SELECT obj_description(oid, 'pg_trigger') FROM pg_trigger WHERE tgname = 'customers_audit'),
                (SELECT obj_description(oid, 'pg_policy') FROM pg_policy WHERE polname = 'customers_read'),
                (SELECT obj_description(oid, 'pg_rewrite') FROM pg_rewrite WHERE rulename = 'audit_log_no_delete'),
                (SELECT obj_description(oid, 'pg_statistic_ext') FROM pg_statistic_ext WHERE stxname = 'tickets_0_stats'),
                (SELECT obj_description(oid, 'pg_collation') FROM pg_collation WHERE collname = 'ci ü'),
                (SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conname = 'customers_referred_by_fkey' AND conrelid = 'shop.customers'::regclass)],
  ARRAY['orders, customers and everything around them', 'life of an order', 'no debts', 'Σ x²', 'housekeeping',
        'invoice numbers', 'after 10% discount', 'postal code', 'refreshed nightly', 'partitioned index',
        'audit every change', 'readers see live customers', 'kept forever', 'correlated', 'case-insensitive',
        'who brought them'],
  'comments on schema, type, domain constraint, aggregate, procedure, sequence, view column, composite attribute, matview, index, trigger, policy, rule, statistics, collation, FK');

-- "Lager ""Ω"" ü": an extension inside the schema, quoted names everywhere
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'Lager "Ω" ü')$$),
  '^OK: cloned schema "Lager ""Ω"" ü": 24 tables \(43663 rows\)', '"Lager ""Ω"" ü" cloned: 24 tables (43663 rows)');
SELECT is(ARRAY(SELECT pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = '"Lager ""Ω"" ü".auftrag'::regclass AND contype = 'f' ORDER BY conname),
  ARRAY['FOREIGN KEY (mandant, kunde) REFERENCES "Lager ""Ω"" ü".mandant_kunde(mandant, kunde) ON DELETE SET DEFAULT (kunde)',
        'FOREIGN KEY (mandant, kunde) REFERENCES "Lager ""Ω"" ü".mandant_kunde(mandant, kunde) ON DELETE SET NULL (kunde)'],
  'foreign keys with ON DELETE SET NULL / SET DEFAULT column lists');
SELECT is((SELECT string_agg(id || ':' || summe, ',' ORDER BY id) FROM "Lager ""Ω"" ü".auftraege_eins WHERE id < 10),
  '3:6,6:12,9:18', 'a view over a RETURNS TABLE function with a SQL-standard body and a VARIADIC function');
DO $$ DECLARE v integer := 21;
BEGIN CALL "Lager ""Ω"" ü".verdopple(v); PERFORM set_config('pgtest.verdoppelt', v::text, false); END $$;
SELECT is(current_setting('pgtest.verdoppelt'), '42', 'a procedure with INOUT and a defaulted IN parameter');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'hstore'), '"Lager ""Ω"" ü"',
  'hstore created inside the cloned schema');
SELECT columns_are('Lager "Ω" ü', 'Artikel "A"', ARRAY['id', 'Name', 'attrs', 'Menge', 'zustand', 'notiz', 'parent_id', 'label'],
  'columns with quoted names, the dropped one gone');
SELECT is((SELECT attstorage::text || attcompression::text FROM pg_attribute WHERE attrelid = '"Lager ""Ω"" ü"."Artikel ""A"""'::regclass AND attname = 'notiz'),
  'ep', 'column STORAGE EXTERNAL and COMPRESSION pglz');
SELECT is((SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = '"Lager ""Ω"" ü"."Artikel ""A"""'::regclass) || ' / ' ||
          (SELECT array_to_string(t.reloptions, ',') FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid
            WHERE c.oid = '"Lager ""Ω"" ü"."Artikel ""A"""'::regclass),
  'fillfactor=90,toast_tuple_target=256,autovacuum_vacuum_scale_factor=0.05 / autovacuum_enabled=false', 'table and TOAST storage parameters');
SELECT is((SELECT array_to_string(ARRAY(SELECT o FROM unnest(attoptions) o WHERE o NOT LIKE 'pg\_attver=%'), ',') FROM pg_attribute WHERE attrelid = '"Lager ""Ω"" ü"."Artikel ""A"""'::regclass AND attname = 'Name'),
  'n_distinct=-1', 'column options');
SELECT is((SELECT relreplident::text || ' ' || (SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = c.oid AND indisreplident)
             FROM pg_class c WHERE oid = '"Lager ""Ω"" ü"."Artikel ""A"""'::regclass),
  'i "Lager ""Ω"" ü"."Artikel Name"', 'REPLICA IDENTITY USING INDEX');
SELECT is((SELECT array_agg(inhparent::regclass::text ORDER BY inhseqno) FROM pg_inherits WHERE inhrelid = '"Lager ""Ω"" ü".kind'::regclass),
  ARRAY['"Lager ""Ω"" ü".basis_a', '"Lager ""Ω"" ü".basis_b'], 'multiple inheritance, parents in order');
SELECT is((SELECT string_agg(attname || CASE WHEN attislocal THEN '' ELSE '*' END || attinhcount, ' ' ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = '"Lager ""Ω"" ü".stern_d'::regclass AND attnum > 0 AND NOT attisdropped),
  'klasse*2 a2 b*1 c*1 d0 a1*2 b1*1',
  'an inheritance child keeps its source column order, columns a parent got later last (* = only inherited)');
SELECT is((SELECT string_agg(attname || attinhcount, ' ' ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = '"Lager ""Ω"" ü".typ_kind'::regclass AND attnum > 0 AND NOT attisdropped),
  'int_four1 extra0 g1 int_eight1 int_two1', 'a table that joined its parent by ALTER TABLE ... INHERIT keeps its order');
SELECT is((SELECT string_agg(conname || CASE WHEN conislocal THEN '' ELSE '*' END || coninhcount, ' ' ORDER BY conname)
             FROM pg_constraint WHERE conrelid = '"Lager ""Ω"" ü".stern_d'::regclass),
  'stern_a_a1_check*2 stern_a_a_check*2', 'its CHECKs are inherited only, as on the source');
SELECT is((SELECT count(*) FROM pg_class WHERE relname LIKE 'pgclone\_order\_%'), 0::bigint,
  'no helper table is left behind');
SELECT is((SELECT array_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) ORDER BY c.relname)
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"Lager ""Ω"" ü"."Bewegung"'::regclass),
  ARRAY['Bewegung Nord FOR VALUES IN (''nord'', ''nordost'')', 'Bewegung Rest DEFAULT', 'Bewegung Süd FOR VALUES IN (''süd'')',
        'Bewegung West FOR VALUES IN (''west'')'],
  'list partitions with a default');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = '"Lager ""Ω"" ü"."Bewegung West"'::regclass AND attnum > 0 AND NOT attisdropped),
  ARRAY['am', 'menge', 'artikel_id', 'region', 'id'], 'a partition keeps its own column order');
SELECT is(pgtest.checksum($$SELECT id, region, artikel_id, menge, am FROM "Lager ""Ω"" ü"."Bewegung West"$$),
  pgtest.checksum($$SELECT g::bigint, 'west', 1 + g % 8000, g % 50 - 25, date '2024-01-01' + g % 300
                    FROM generate_series(1, 25000) g WHERE g % 5 = 3$$), 'and its rows are in the right columns');
SELECT is(pgtest.seq_pos('"Lager ""Ω"" ü"."Séq ""1"""'), '970/true', 'quoted descending sequence at its position');
SELECT is(pgtest.checksum($$SELECT * FROM "Lager ""Ω"" ü"."Artikel ""A"""$$),
  pgtest.checksum($$SELECT g, 'Artikel ' || g || CASE WHEN g % 11 = 0 THEN ' ünï "q"' ELSE '' END,
         CASE WHEN g % 5 <> 0 THEN "Lager ""Ω"" ü".hstore(ARRAY['farbe', 'größe'], ARRAY['rot' || g % 3, (g % 40)::text]) END,
         (1 + g % 9)::"Lager ""Ω"" ü"."Menge", (ARRAY['😀 neu', 'in Arbeit', 'it''s done', 'ÜBER'])[1 + g % 4]::"Lager ""Ω"" ü"."Zustand",
         CASE WHEN g % 100 = 0 THEN repeat('lang ', 500) WHEN g % 3 = 0 THEN E'tab\there\nnewline \\ back' END,
         CASE WHEN g > 100 THEN g / 10 END, 'ü' || g
       FROM generate_series(1, 8000) g$$), 'hstore, enum, domain, toasted and escaped values intact');
SELECT is((SELECT count(*) FROM "Lager ""Ω"" ü"."Protokoll"), 0::bigint, 'its log is empty: nothing fired');

-- base and shell types, operators, operator families and classes, text
-- search objects, conversions (issues 12 and 19)
SELECT is((SELECT typtype::text || typlen || typbyval || typalign::text || typstorage::text || typcategory::text || typdefault || ' ' ||
                  typinput::regproc::text || ' ' || typoutput::regproc::text || ' ' || typreceive::regproc::text || ' ' ||
                  typsend::regproc::text FROM pg_type WHERE oid = 'shop.int_box'::regtype),
  'b4trueipN0 shop.int_box_in shop.int_box_out shop.int_box_recv shop.int_box_send',
  'base type: length, by value, alignment, storage, category, default and I/O functions');
SELECT is('42'::shop.int_box::text, '42', 'base type: a value reads in and out');
SELECT is(shop.int_box_twice('21'), 42, 'an SQL function over the base type (created after the full type)');
SELECT is((SELECT typisdefined::text || ' ' || obj_description(oid, 'pg_type') FROM pg_type
            WHERE typname = 'never_defined' AND typnamespace = 'shop'::regnamespace),
  'false a shell that stays one', 'a shell type stays a shell, with its comment');
SELECT ok('3'::shop.int_box OPERATOR(shop.<) '4'::shop.int_box AND NOT '4'::shop.int_box OPERATOR(shop.<) '3'::shop.int_box,
  'an operator of the base type works in a query');
SELECT is((SELECT oprcom::regoperator::text || ' ' || oprnegate::regoperator::text FROM pg_operator
            WHERE oid = 'shop.<(shop.int_box,shop.int_box)'::regoperator),
  'shop.>(shop.int_box,shop.int_box) shop.>=(shop.int_box,shop.int_box)',
  'commutator and negator links to operators created later');
SELECT is((SELECT oprcanhash::text || oprcanmerge::text || ' ' || oprrest::text || ' ' || oprjoin::text FROM pg_operator
            WHERE oid = 'shop.=(shop.int_box,shop.int_box)'::regoperator), 'truetrue eqsel eqjoinsel',
  'HASHES, MERGES, RESTRICT and JOIN');
SELECT is((OPERATOR(shop.-) '5'::shop.int_box)::text, '-5', 'a prefix operator');
SELECT is(obj_description('shop.-(NONE,shop.int_box)'::regoperator, 'pg_operator'), 'prefix minus', 'operator comment');
CREATE TEMP TABLE boxes AS SELECT (g::text)::shop.int_box AS b FROM generate_series(1, 2000) g;
CREATE INDEX boxes_b ON boxes (b);
CREATE INDEX boxes_b_hash ON boxes USING hash (b);
ANALYZE boxes;
SELECT is((SELECT string_agg(opc.opcname, ' ' ORDER BY opc.opcname) FROM pg_index i JOIN pg_opclass opc ON opc.oid = i.indclass[0]
            WHERE i.indrelid = 'boxes'::regclass), 'int_box_hash_ops int_box_ops',
  'indexes on the base type use the cloned default btree and hash operator classes');
SET enable_seqscan = off;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; out text := ''; BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP out := out || l || ' '; END LOOP; RETURN out;
END $$;
SELECT matches(pg_temp.plan_of($$SELECT count(*) FROM boxes WHERE b OPERATOR(shop.<) '10'::shop.int_box$$),
  '(using|on) boxes_b ', 'the btree index serves the operator');
RESET enable_seqscan;
SELECT is((SELECT count(*) FROM boxes WHERE b OPERATOR(shop.<) '10'::shop.int_box), 9::bigint, 'and finds the right rows');
SELECT is((SELECT count(*) FROM boxes WHERE b OPERATOR(shop.<) 10), 9::bigint, 'the cross-type operator works');
SELECT is((SELECT string_agg(amopstrategy || ' ' || amopopr::regoperator::text, ', ' ORDER BY amopstrategy) FROM pg_amop
            WHERE amopfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'int_box_fam') AND amoprighttype = 'integer'::regtype),
  '1 shop.<(shop.int_box,integer)', 'a loose operator family member (ALTER OPERATOR FAMILY ADD)');
SELECT is((SELECT string_agg(amprocnum || ' ' || amproc::regprocedure::text, ', ') FROM pg_amproc
            WHERE amprocfamily = (SELECT oid FROM pg_opfamily WHERE opfname = 'int_box_fam') AND amprocrighttype = 'integer'::regtype),
  '1 shop.int_box_cmp_int(shop.int_box,integer)', 'a loose support function');
SELECT is((SELECT obj_description(oid, 'pg_opclass') FROM pg_opclass WHERE opcname = 'int_box_ops'), 'sorts boxes', 'operator class comment');
SELECT is((SELECT obj_description(oid, 'pg_opfamily') FROM pg_opfamily WHERE opfname = 'int_box_fam'), 'int_box and integer',
  'operator family comment');
SELECT is(to_tsvector('shop.shop_search', 'The running dogs and 42 cats'), to_tsvector('english', 'The running dogs and 42 cats'),
  'to_tsvector with the cloned configuration (own parser, template, dictionaries) gives english''s result');
SELECT is((SELECT string_agg(alias || ':' || array_to_string(dictionaries, ','), ' ' ORDER BY alias)
             FROM ts_debug('shop.shop_search', 'word 42') WHERE dictionaries <> '{}'),
  'asciiword:shop.shop_simple,shop.shop_stem uint:simple', 'configuration mappings in order');
SELECT is((SELECT dictinitoption FROM pg_ts_dict WHERE dictname = 'shop_simple'), 'stopwords = ''english'', accept = ''false''',
  'dictionary options');
SELECT is((SELECT obj_description(oid, 'pg_ts_config') FROM pg_ts_config WHERE cfgname = 'shop_search'), 'product search',
  'text search configuration comment');
SELECT is((SELECT pg_encoding_to_char(conforencoding) || '>' || pg_encoding_to_char(contoencoding) || ' ' || conproc::text || ' '
                  || obj_description(oid, 'pg_conversion') FROM pg_conversion WHERE conname = 'latin1_to_utf8'),
  'LATIN1>UTF8 iso8859_1_to_utf8 latin-1 in', 'conversion with its comment');

DROP SCHEMA shop CASCADE;
DROP SCHEMA "Lager ""Ω"" ü" CASCADE;
DROP EXTENSION IF EXISTS citext CASCADE;
SELECT * FROM finish();
