-- mask_in_place (issue 11): masks a local table by rewriting it; afterwards
-- no unmasked value is readable in its heap, TOAST or indexes (pageinspect
-- proves it, with a control showing that a plain UPDATE would leave them).
-- No agent is involved: the file runs in one transaction rolled back at the end.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
SELECT plan(52);

CREATE EXTENSION pageinspect;
CREATE ROLE pgc28_owner;
CREATE ROLE pgc28_other;
GRANT USAGE ON SCHEMA pgclone TO pgc28_owner, pgc28_other;
GRANT EXECUTE ON FUNCTION pgclone.mask_in_place(text, text, text) TO pgc28_owner, pgc28_other;
CREATE SCHEMA pgc28 AUTHORIZATION pgc28_owner;
GRANT USAGE ON SCHEMA pgc28 TO PUBLIC;

-- How many places in relation rel's pages hold the bytes of marker: in the
-- tuples of every heap block (heap_page_items' t_data), or anywhere in an
-- index's pages.
CREATE FUNCTION pg_temp.heap_hits(rel regclass, marker text) RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM generate_series(0, pg_relation_size(rel) / current_setting('block_size')::int - 1) AS b,
         heap_page_items(get_raw_page(rel::text, b::int)) AS h
  WHERE h.t_data IS NOT NULL AND position(convert_to(marker, 'UTF8') IN h.t_data) > 0
$$;
CREATE FUNCTION pg_temp.page_hits(rel regclass, marker text) RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM generate_series(0, pg_relation_size(rel) / current_setting('block_size')::int - 1) AS b
  WHERE position(convert_to(marker, 'UTF8') IN get_raw_page(rel::text, b::int)) > 0
$$;
CREATE FUNCTION pg_temp.toast_of(rel regclass) RETURNS regclass LANGUAGE sql AS $$
  SELECT reltoastrelid::regclass FROM pg_class WHERE oid = rel
$$;

-- ---------------------------------------------------------------- every strategy
SET ROLE pgc28_owner;
CREATE TABLE pgc28.people (
  id int PRIMARY KEY, email text, full_name text, phone text, card text, secret text, note text,
  age int, status text, salary numeric, born date, weight numeric, city text COLLATE "C");
INSERT INTO pgc28.people VALUES
  (1, 'alice@example.com', 'Alice Smith', '555-123-4567', '4111111111111111', 's3cret', 'private note',
   42, 'active', 52345.67, '1990-07-15', 80, 'Berlin'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
RESET ROLE;
SELECT pg_relation_filenode('pgc28.people') AS people_filenode \gset

SET ROLE pgc28_owner;
SELECT is(pgclone.mask_in_place('pgc28', 'people', '{"email": "email", "full_name": "name", "phone": "phone",
  "card": {"type": "partial", "prefix": 2, "suffix": 2}, "secret": "hash", "note": "null",
  "age": {"type": "random_int", "min": 18, "max": 90}, "status": {"type": "constant", "value": "HIDDEN"},
  "salary": {"type": "generalize", "step": 1000}, "born": {"type": "generalize", "step": "month"},
  "weight": {"type": "noise", "ratio": 0.1}}'),
  'OK: masked 2 rows in pgc28.people (11 columns)', 'the table''s owner masks it in place; the report counts rows and columns');
RESET ROLE;
SELECT is((SELECT ROW(email, full_name, phone, card, secret, note, status, salary, born, city)::text
             FROM pgc28.people WHERE id = 1),
  ROW('a***@example.com', 'XXXX', '***-4567', '41***11', md5('s3cret'), NULL, 'HIDDEN', 52000, '1990-07-01',
      'Berlin')::text,
  'every per-row strategy wrote its masked value (hash is md5 in the database)');
SELECT ok((SELECT age BETWEEN 18 AND 90 FROM pgc28.people WHERE id = 1), 'random_int is within [min, max]');
SELECT ok((SELECT weight BETWEEN 72 AND 88 FROM pgc28.people WHERE id = 1), 'noise stays within the ratio');
SELECT is((SELECT ROW(email, full_name, phone, card, secret, note, age, status, salary, born, weight)::text
             FROM pgc28.people WHERE id = 2),
  ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'HIDDEN', NULL, NULL, NULL)::text,
  'NULL stays NULL, except under constant, which replaces NULLs too');
SELECT isnt(pg_relation_filenode('pgc28.people'), :people_filenode::oid, 'the table was rewritten (new relfilenode)');
SELECT is((SELECT format_type(atttypid, atttypmod) || ' ' || collname FROM pg_attribute a JOIN pg_collation c
             ON c.oid = a.attcollation WHERE attrelid = 'pgc28.people'::regclass AND attname = 'city'),
  'text C', 'an unmasked column keeps its collation');

-- ---------------------------------------------------------------- no old value left
-- The markers sit in parts the masks remove (the local part of the e-mail,
-- the phone number, a long note kept out of line, uncompressed, in TOAST).
CREATE TABLE pgc28.scrub (id int PRIMARY KEY, email text, phone text, note text);
ALTER TABLE pgc28.scrub ALTER COLUMN note SET STORAGE EXTERNAL;
CREATE INDEX scrub_email ON pgc28.scrub (email);
INSERT INTO pgc28.scrub
  SELECT g, 'zqmark' || g || '@example.com', '555-7777-' || g, repeat('zqnote ', 400) FROM generate_series(1, 500) g;
CREATE TABLE pgc28.control (LIKE pgc28.scrub INCLUDING ALL);
INSERT INTO pgc28.control SELECT * FROM pgc28.scrub;

SELECT is(pg_temp.heap_hits('pgc28.scrub', 'zqmark'), 500::bigint, 'before: the heap holds every original e-mail');
SELECT cmp_ok(pg_temp.page_hits('pgc28.scrub_email', 'zqmark'), '>', 0::bigint, 'and so does the index on it');
SELECT cmp_ok(pg_temp.page_hits(pg_temp.toast_of('pgc28.scrub'), 'zqnote'), '>', 0::bigint,
  'and the TOAST table the notes');

-- Control: a plain UPDATE leaves the old row versions readable.
UPDATE pgc28.control SET email = 'x@example.com', phone = 'x', note = NULL;
SELECT is(pg_temp.heap_hits('pgc28.control', 'zqmark'), 500::bigint,
  'control: after a plain UPDATE the old e-mails are still in the heap (the check can fail)');
SELECT cmp_ok(pg_temp.page_hits(pg_temp.toast_of('pgc28.control'), 'zqnote'), '>', 0::bigint,
  'control: and the old notes in TOAST');

SELECT is(pgclone.mask_in_place('pgc28', 'scrub', '{"email": "email", "phone": "phone", "note": "null"}'),
  'OK: masked 500 rows in pgc28.scrub (3 columns)', 'mask_in_place on the marked table');
SELECT is(pg_temp.heap_hits('pgc28.scrub', 'zqmark'), 0::bigint, 'after: no heap tuple holds an original e-mail');
SELECT is(pg_temp.heap_hits('pgc28.scrub', '555-7777'), 0::bigint, 'nor an original phone number');
SELECT is(pg_temp.page_hits('pgc28.scrub_email', 'zqmark'), 0::bigint, 'the rebuilt index holds none');
SELECT is(pg_temp.page_hits(pg_temp.toast_of('pgc28.scrub'), 'zqnote'), 0::bigint, 'the TOAST table holds no old note');
SELECT is((SELECT count(*) FROM pgc28.scrub WHERE email = 'z***@example.com' AND phone LIKE '***-%' AND note IS NULL),
  500::bigint, 'every row is masked');
SELECT is((SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'pgc28.scrub'::regclass AND attname = 'note'),
  'e', 'a column''s chosen storage is kept');
SELECT is((SELECT count(*) FROM pgc28.scrub WHERE email = 'z***@example.com'), 500::bigint,
  'the index still answers');

-- Statistics of the masked columns are gone (most common values are real values).
ANALYZE pgc28.control;
UPDATE pgc28.control SET email = 'same@example.com';
ANALYZE pgc28.control;
SELECT ok(EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = 'pgc28' AND tablename = 'control' AND attname = 'email'),
  'control: ANALYZE made statistics on e-mail');
SELECT matches(pgclone.mask_in_place('pgc28', 'control', '{"email": "hash"}'), '^OK: ', 'masking the control');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = 'pgc28' AND tablename = 'control' AND attname = 'email'),
  'the masked column''s statistics were dropped with its old values');

-- ---------------------------------------------------------------- transactional
SAVEPOINT before_mask;
SELECT matches(pgclone.mask_in_place('pgc28', 'people', '{"city": "name"}'), '^OK: ', 'masking inside a savepoint');
ROLLBACK TO SAVEPOINT before_mask;
SELECT is((SELECT city FROM pgc28.people WHERE id = 1), 'Berlin', 'rolled back, the table is as it was');

-- No row triggers fire (an audit trigger would copy the real values elsewhere).
CREATE FUNCTION pgc28.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'trigger fired'; END $$;
CREATE TRIGGER refuse BEFORE UPDATE ON pgc28.people FOR EACH ROW EXECUTE FUNCTION pgc28.refuse();
SELECT matches(pgclone.mask_in_place('pgc28', 'people', '{"city": "name"}'), '^OK: ', 'row triggers do not fire');

-- ---------------------------------------------------------------- partitions, temp tables
CREATE TABLE pgc28.parted (id int, email text) PARTITION BY RANGE (id);
CREATE TABLE pgc28.parted_1 PARTITION OF pgc28.parted FOR VALUES FROM (0) TO (100);
CREATE TABLE pgc28.parted_2 PARTITION OF pgc28.parted FOR VALUES FROM (100) TO (200);
INSERT INTO pgc28.parted SELECT g, 'zqpart' || g || '@example.org' FROM generate_series(0, 199) g;
SELECT is(pgclone.mask_in_place('pgc28', 'parted', '{"email": "email"}'),
  'OK: masked 200 rows in pgc28.parted (1 columns)', 'a partitioned table: every partition is masked');
SELECT is((SELECT count(*) FROM pgc28.parted_2 WHERE email = 'z***@example.org'), 100::bigint, 'the second partition too');
SELECT is(pg_temp.heap_hits('pgc28.parted_1', 'zqpart') + pg_temp.heap_hits('pgc28.parted_2', 'zqpart'), 0::bigint,
  'no partition''s heap holds an original value');
SELECT is(pgtest.err($$SELECT pgclone.mask_in_place('pgc28', 'parted_1', '{"email": "hash"}')$$),
  '22023: cannot mask column "email" of table pgc28.parted_1 in place: the column is inherited from a parent table',
  'a partition on its own: 22023, mask the parent');

CREATE TEMP TABLE tmp_people (id int, email text);
INSERT INTO tmp_people VALUES (1, 'tom@example.com');
SELECT matches(pgclone.mask_in_place(pg_my_temp_schema()::regnamespace::text, 'tmp_people', '{"email": "email"}'),
  '^OK: masked 1 rows', 'a temporary table');
SELECT is((SELECT email FROM tmp_people), 't***@example.com', 'is masked');

-- ---------------------------------------------------------------- refusals
CREATE TABLE pgc28.keys (id text PRIMARY KEY, u text UNIQUE, nn text NOT NULL, short varchar(10), mail varchar(20),
  g text GENERATED ALWAYS AS (upper(u)) STORED);
INSERT INTO pgc28.keys VALUES ('k1', 'u1', 'n1', 'short', 'a@bcdefghijklmn.org');
CREATE TABLE pgc28.refs (id int, key_id text REFERENCES pgc28.keys (id));
CREATE VIEW pgc28.keys_view AS SELECT nn FROM pgc28.keys;
CREATE FUNCTION pg_temp.mask_err(tbl text, masks text) RETURNS text LANGUAGE sql AS $$
  SELECT pgtest.err(format('SELECT pgclone.mask_in_place(%L, %L, %L)', 'pgc28', tbl, masks))
$$;
SELECT is(pg_temp.mask_err('keys', '{"u": "name"}'),
  '22023: cannot mask column "u" of table pgc28.keys in place: mask "name" would make values of a UNIQUE or PRIMARY KEY column collide (only "hash" and "shuffle" keep them distinct)',
  'a collapsing mask on a UNIQUE column: 22023');
SELECT matches(pg_temp.mask_err('keys', '{"id": "hash"}'),
  '^22023: cannot mask column "id" of table pgc28.keys in place: it is part of foreign key "refs_key_id_fkey"',
  'a referenced key: 22023 naming the foreign key');
SELECT matches(pg_temp.mask_err('refs', '{"key_id": "hash"}'),
  '^22023: cannot mask column "key_id" of table pgc28.refs in place: it is part of foreign key "refs_key_id_fkey"',
  'a foreign key column: 22023');
SELECT is(pg_temp.mask_err('keys', '{"nn": "null"}'),
  '22023: cannot mask column "nn" of table pgc28.keys in place: mask "null" would put NULL into a NOT NULL column',
  'NULL into NOT NULL: 22023');
SELECT is(pg_temp.mask_err('keys', '{"short": "hash"}'),
  '22023: cannot mask column "short" of table pgc28.keys in place: mask "hash" writes values of 32 characters, longer than character varying(10) holds',
  'too long for varchar(n): 22023');
SELECT is(pg_temp.mask_err('keys', '{"mail": "email"}'),
  '22023: cannot mask column "mail" of table pgc28.keys in place: masked values reach 22 characters, longer than character varying(20) holds',
  'a data-dependent length measured on the data: 22023');
SELECT is(pg_temp.mask_err('keys', '{"g": "name"}'),
  '22023: cannot mask column "g" of table pgc28.keys in place: it is a generated column, computed from other columns',
  'a generated column: 22023');
SELECT is(pg_temp.mask_err('keys', '{"u": "hash"}'),
  '22023: cannot mask column "u" of table pgc28.keys in place: generated column "g" is computed from it',
  'a column a generated column reads: 22023');
SELECT is(pg_temp.mask_err('keys', '{"nn": "name"}'),
  '22023: cannot mask column "nn" of table pgc28.keys in place: view pgc28.keys_view uses it',
  'a column a view uses: 22023 naming the view');
SELECT is(pg_temp.mask_err('keys', '{"nn": "pseudonym"}'),
  '22023: cannot mask column "nn" of table pgc28.keys in place: mask "pseudonym" needs the agent''s key, which never goes to the target database',
  'pseudonym: 22023');
SELECT matches(pg_temp.mask_err('keys', '{"nn": "shuffle"}'), '^22023: .*mask "shuffle" permutes values among rows',
  'shuffle: 22023');
SELECT is(pg_temp.mask_err('keys', '{"zz": "hash"}'),
  '22023: option "mask_json": column "zz" of table pgc28.keys does not exist', 'unknown column: 22023');
SELECT is(pg_temp.mask_err('nope', '{"zz": "hash"}'), '42P01: table pgc28.nope does not exist', 'unknown table: 42P01');
SELECT is(pg_temp.mask_err('keys_view', '{"nn": "hash"}'), '42809: pgc28.keys_view is not a table', 'a view: 42809');
CREATE SERVER pgc28_srv FOREIGN DATA WRAPPER pgclone;
CREATE FOREIGN TABLE pgc28.ft (a text) SERVER pgc28_srv;
SELECT is(pg_temp.mask_err('ft', '{"a": "hash"}'), '42809: pgc28.ft is not a table', 'a foreign table: 42809');
SELECT is((SELECT ROW(id, u, nn, short, mail)::text FROM pgc28.keys),
  ROW('k1', 'u1', 'n1', 'short', 'a@bcdefghijklmn.org')::text, 'none of these changed the table');
SET ROLE pgc28_other;
SELECT is(pgtest.err($$SELECT pgclone.mask_in_place('pgc28', 'people', '{"city": "hash"}')$$),
  '42501: must be owner of table pgc28.people', 'another role: 42501');
RESET ROLE;

-- ---------------------------------------------------------------- cancel
-- Big enough that the rewrite takes well over the timeout.
CREATE TABLE pgc28.big AS SELECT g AS id, md5(g::text) AS t FROM generate_series(1, 400000) g;
SELECT pg_relation_filenode('pgc28.big') AS big_filenode \gset
SET statement_timeout = '150ms';
SELECT is((pgtest.run($$SELECT pgclone.mask_in_place('pgc28', 'big', '{"t": "hash"}')$$)).sqlstate, '57014',
  'statement_timeout stops mask_in_place (57014)');
RESET statement_timeout;
SELECT is(pg_relation_filenode('pgc28.big'), :big_filenode::oid, 'the table was not swapped');
SELECT is((SELECT t FROM pgc28.big WHERE id = 7), md5('7'), 'its values are unchanged');

SELECT * FROM finish();
ROLLBACK;
