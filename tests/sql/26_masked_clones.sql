-- Masked clones: "mask" (table clones) and "masks" (schema clones), every
-- strategy with NULLs, types and parameters; keys carried to foreign keys;
-- partitions taking their parent's masks; the refusals (22023, nothing left on
-- the target); async and resume keep the masks. Source: tests/fixtures/70_masking.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS masking CASCADE;
SELECT plan(63);

CREATE FUNCTION pg_temp.clone(target text, masks text) RETURNS text LANGUAGE sql AS $$
  SELECT pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)',
                           pgtest.src(), 'masking', 'people', target, masks))
$$;
-- The people rows as the source has them (tests/fixtures/70_masking.sql).
CREATE TEMP VIEW src_people AS
SELECT i AS id, 'user' || i AS login, ('person' || i || '@mail' || (i % 7) || '.example.org')::varchar(60) AS email,
       'Person Number ' || i AS full_name, ('+1-555-' || lpad(i::text, 4, '0'))::varchar(20) AS phone,
       (lpad((i * 7919 % 1000)::text, 3, '0') || '-45-' || lpad(i::text, 4, '0'))::char(11) AS ssn,
       (30000 + i * 100)::numeric(10,2) AS salary, 20 + i % 50 AS age, date '1970-01-01' + i * 97 AS born,
       timestamptz '2024-01-01 12:00+00' + i * interval '1 hour' AS seen
FROM generate_series(1, 200) AS i;

------------------------------------------------------------------ the established strategies
SELECT matches(pg_temp.clone('p_basic', $${"mask": {"email": "email", "full_name": "name", "phone": "phone",
    "ssn": {"type": "partial", "prefix": 0, "suffix": 4}, "notes": "null", "code": {"type": "constant", "value": "X"},
    "age": {"type": "random_int", "min": 1, "max": 10}}}$$),
  '^OK: cloned masking.people as masking.p_basic, 201 rows', 'a table clone with seven masks');
SELECT is((SELECT count(*) FROM masking.p_basic WHERE email ~ '^p\*\*\*@mail[0-6]\.example\.org$'), 200::bigint,
  'email: first character, ***@, the domain');
SELECT is((SELECT count(*) FROM masking.p_basic WHERE full_name = 'XXXX'), 201::bigint, 'name: XXXX on every row');
SELECT is((SELECT count(*) FROM masking.p_basic p JOIN src_people s USING (id)
            WHERE p.phone = '***-' || right(s.phone, 4)), 200::bigint, 'phone: ***- and the last four characters');
SELECT is((SELECT count(*) FROM masking.p_basic p JOIN src_people s USING (id)
            WHERE p.ssn = ('***' || right(s.ssn, 4))::char(11)), 200::bigint, 'partial {prefix 0, suffix 4}: *** and the last four');
SELECT is((SELECT count(*) FROM masking.p_basic WHERE notes IS NOT NULL), 0::bigint, 'null: every value NULL');
SELECT is((SELECT count(*) FROM masking.p_basic WHERE code = 'X'), 201::bigint, 'constant: every row, the NULL row included');
SELECT is((SELECT count(*) FROM masking.p_basic WHERE age BETWEEN 1 AND 10), 200::bigint, 'random_int: within [min, max]');
SELECT is((SELECT row(email, phone, ssn, age)::text FROM masking.p_basic WHERE id = 201), '(,,,)',
  'NULL stays NULL (email, phone, partial, random_int)');
SELECT is((SELECT count(*) FROM masking.p_basic p JOIN src_people s USING (id)
            WHERE p.login = s.login AND p.salary = s.salary AND p.born = s.born), 200::bigint,
  'columns without a mask are copied as they are');
SELECT is(pgtest.column_defs('masking.p_basic'),
  ARRAY['id integer not null', 'login text not null', 'email character varying(60)', 'full_name text not null',
        'phone character varying(20)', 'ssn character(11)', 'card text', 'salary numeric(10,2)', 'age integer',
        'score smallint', 'born date', 'seen timestamp with time zone', 'notes text', 'code character varying(6)'],
  'masked columns keep their types');

------------------------------------------------------------------ keyed and type-keeping strategies
SELECT matches(pg_temp.clone('p_keyed', $${"mask": {"login": "hash", "email": "hash", "full_name": "pseudonym",
    "age": "pseudonym", "born": "pseudonym", "seen": "pseudonym"}}$$), '^OK:', 'hash and pseudonym');
SELECT is((SELECT count(*) FROM masking.p_keyed WHERE login ~ '^[0-9a-f]{32}$'), 201::bigint, 'hash: 32 hex digits');
SELECT is((SELECT count(DISTINCT login) FROM masking.p_keyed), 201::bigint, 'hash keeps a UNIQUE column distinct');
SELECT is((SELECT count(*) FROM masking.p_keyed WHERE login = md5('user' || id)), 0::bigint,
  'hash is keyed: not the md5 of the value');
SELECT is((SELECT count(*) FROM masking.p_keyed p JOIN src_people s USING (id)
            WHERE length(p.full_name) = length(s.full_name) AND p.full_name <> s.full_name
              AND regexp_replace(p.full_name, '[A-Z]', 'A', 'g') ~ '^A[a-z]+ A[a-z]+ [0-9]+$'
              AND length(split_part(p.full_name, ' ', 3)) = length(split_part(s.full_name, ' ', 3))), 200::bigint,
  'pseudonym on text: same length and shape (case, letters, digits, spaces), other letters');
SELECT is((SELECT count(*) FROM masking.p_keyed p JOIN src_people s USING (id)
            WHERE length(p.age::text) = length(s.age::text)), 200::bigint, 'pseudonym on integers: as many digits');
SELECT is((SELECT count(*) FROM masking.p_keyed p JOIN src_people s USING (id)
            WHERE abs(p.born - s.born) <= 365 AND abs(extract(epoch FROM p.seen - s.seen)) <= 366 * 86400), 200::bigint,
  'pseudonym on dates and timestamps: within a year');
SELECT cmp_ok((SELECT count(*) FROM masking.p_keyed p JOIN src_people s USING (id) WHERE p.born = s.born), '<', 20::bigint,
  'pseudonym moves (almost) every date');
SELECT matches(pg_temp.clone('p_keyed2', $${"mask": {"login": "hash", "full_name": "pseudonym", "born": "pseudonym"}}$$),
  '^OK:', 'the same masks again');
SELECT is((SELECT count(*) FROM masking.p_keyed a JOIN masking.p_keyed2 b USING (id)
            WHERE a.login = b.login AND a.full_name = b.full_name AND a.born IS NOT DISTINCT FROM b.born), 201::bigint,
  'hash and pseudonym are deterministic: the same output in every clone');

SELECT matches(pg_temp.clone('p_num', $${"mask": {"salary": {"type": "noise", "ratio": 0.1},
    "age": {"type": "generalize", "step": 10}, "born": {"type": "generalize", "step": "year"},
    "seen": {"type": "noise", "ratio": 0.5}, "score": {"type": "generalize", "step": 25}}}$$), '^OK:', 'noise and generalize');
SELECT is((SELECT count(*) FROM masking.p_num p JOIN src_people s USING (id)
            WHERE p.salary BETWEEN s.salary * 0.9 - 0.01 AND s.salary * 1.1 + 0.01), 200::bigint, 'noise: within ratio');
SELECT cmp_ok((SELECT count(*) FROM masking.p_num p JOIN src_people s USING (id) WHERE p.salary = s.salary), '<', 20::bigint,
  'noise moves (almost) every value');
SELECT is((SELECT count(*) FROM masking.p_num WHERE age % 10 = 0 AND score % 25 = 0), 200::bigint,
  'generalize {step n}: multiples of n');
SELECT is((SELECT count(*) FROM masking.p_num WHERE born = date_trunc('year', born)::date), 200::bigint,
  'generalize {step "year"}: the first of January');
SELECT is((SELECT count(*) FROM masking.p_num p JOIN src_people s USING (id)
            WHERE abs(extract(epoch FROM p.seen - s.seen)) <= 0.5 * 365 * 86400 + 1), 200::bigint,
  'noise on timestamps: within ratio of a year');

SELECT matches(pg_temp.clone('p_shuffled', $${"mask": {"email": "shuffle", "salary": "shuffle"}}$$), '^OK:.*201 rows', 'shuffle');
SELECT is((SELECT array_agg(email ORDER BY email) FROM masking.p_shuffled WHERE email IS NOT NULL),
  (SELECT array_agg(email ORDER BY email) FROM src_people), 'shuffle keeps the column''s values');
SELECT cmp_ok((SELECT count(*) FROM masking.p_shuffled p JOIN src_people s USING (id) WHERE p.email = s.email), '<', 20::bigint,
  'shuffle moves them to other rows');

SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)', pgtest.src(), 'masking', 'people',
    'p_where', $${"mask": {"full_name": "name"}, "where": "id <= 10", "columns": ["id", "full_name"]}$$)),
  '^OK:.*10 rows', 'mask with where and columns');
SELECT is((SELECT string_agg(DISTINCT full_name, ',') FROM masking.p_where), 'XXXX', 'where and columns: masked');

------------------------------------------------------------------ refusals: 22023, nothing on the target
CREATE TEMP TABLE refusals (masks text, reason text);
INSERT INTO refusals VALUES
  ($${"mask": {"nosuch": "hash"}}$$, 'column "nosuch" of table masking.people does not exist'),
  ($${"mask": {"email": "emial"}}$$, 'unknown mask strategy "emial"'),
  ($${"mask": {"ssn": {"type": "partial", "prefix": -1}}}$$, 'parameter "prefix" must be between 0 and'),
  ($${"mask": {"age": {"type": "random_int", "min": 5, "max": 1}}}$$, 'is greater than "max"'),
  ($${"mask": {"salary": {"type": "noise", "ratio": 0}}}$$, 'parameter "ratio" must be greater than 0'),
  ($${"mask": {"salary": "generalize"}}$$, 'needs a "step"'),
  ($${"mask": {"email": {"type": "hash", "salt": 1}}}$$, 'unknown parameter "salt"'),
  ($${"mask": {"login": "name"}}$$, 'would make values of a UNIQUE or PRIMARY KEY column collide'),
  ($${"mask": {"id": {"type": "random_int", "min": 1, "max": 9}}}$$, 'UNIQUE or PRIMARY KEY'),
  ($${"mask": {"full_name": "null"}}$$, 'would put NULL into a NOT NULL column'),
  ($${"mask": {"code": "hash"}}$$, 'longer than character varying(6) holds'),
  ($${"mask": {"code": {"type": "constant", "value": "TOO LONG"}}}$$, 'longer than character varying(6) holds'),
  ($${"mask": {"age": {"type": "constant", "value": "abc"}}}$$, 'which is not a value of type integer'),
  ($${"mask": {"score": {"type": "random_int", "min": 1, "max": 100000}}}$$, 'does not fit a column of type smallint'),
  ($${"mask": {"salary": "pseudonym"}}$$, 'keeps text, integers, dates and timestamps'),
  ($${"mask": {"born": "email"}}$$, 'writes text, which a column of type date cannot hold'),
  ($${"mask": {"notes": {"type": "generalize", "step": "month"}}}$$, 'needs a date or timestamp'),
  ($${"mask": {"email": "email"}, "columns": ["id", "login"]}$$, 'is not among the columns cloned');
SELECT is((SELECT string_agg(r.reason, '; ') FROM refusals r
            WHERE pg_temp.clone('p_refused', r.masks) !~ ('^ERROR 22023: .*' || regexp_replace(r.reason, '([().*+?\[\]])', '\\\1', 'g'))),
  NULL, 'every refused mask is 22023 with its reason');
SELECT ok(NOT pgtest.rel_exists('masking', 'p_refused'), 'a refused mask leaves no table behind');
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'tight',
    '{"mask": {"e": "email"}}')),
  '^ERROR 22023: cannot mask column "e" of table masking.tight: masked values reach 16 characters, longer than character varying\(14\) holds',
  'an e-mail mask whose values would not fit is refused from the data, before the copy');
SELECT ok(NOT pgtest.rel_exists('masking', 'tight'), 'nothing of masking.tight on the target');
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'checked',
    '{"mask": {"email": "hash"}}')),
  '^ERROR 22023: cannot mask column "email" of table masking.checked: masked values would violate check constraint checked_email_check',
  'a mask whose values break a CHECK constraint is refused before the copy');
SELECT ok(NOT pgtest.rel_exists('masking', 'checked'), 'nothing of masking.checked on the target');
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'checked',
    '{"mask": {"email": "email"}}')), '^OK:.*50 rows', 'a mask that satisfies the CHECK is cloned');
DROP TABLE masking.checked;
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'amounts',
    '{"mask": {"amount": {"type": "noise", "ratio": 0.1}}}')),
  '^ERROR 22023: cannot mask column "amount" of table masking.amounts: mask "noise" with ratio 0.1 could move its largest values beyond what numeric\(6,2\) holds',
  'noise that could overflow numeric(p,s) is refused from the data, before the copy');
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'amounts',
    '{"mask": {"small": {"type": "noise", "ratio": 0.05}}}')),
  '^ERROR 22023: cannot mask column "small" of table masking.amounts: .*beyond what smallint holds', '... and so is noise that could overflow smallint');
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'amounts',
    '{"mask": {"amount": {"type": "noise", "ratio": 0.001}, "small": {"type": "noise", "ratio": 0.01}}}')), '^OK:.*20 rows',
  'noise that fits is cloned');
SELECT is((SELECT count(*) FROM masking.amounts WHERE amount BETWEEN 9900 * 0.999 AND 9999.99), 20::bigint, 'within the ratio and the type');
DROP TABLE masking.amounts;
SELECT matches(pgtest.try(format('SELECT pgclone.table(%L, %L, %L, true, %L, %L)', pgtest.src(), 'masking', 'orders',
    'o_refused', '{"mask": {"login": "hash"}}')),
  '^ERROR 22023: cannot mask column "login" of table masking.orders: it is part of foreign key orders_login_fkey, and masking.people\(login\) is not in this clone',
  'masking a foreign key column alone is refused');
SELECT matches(pgtest.err(format('SELECT pgclone.schema(%L, %L, true, %L)', pgtest.src(), 'masking', '{"mask": {"a": "hash"}}')),
  '^22023: option "mask" only applies to single-table clones', '"mask" belongs to table clones');
SELECT matches(pgtest.err(format('SELECT pgclone.table(%L, %L, %L, true, NULL, %L)', pgtest.src(), 'masking', 'people',
    '{"masks": {"people": {"a": "hash"}}}')), '^22023: option "masks" only applies to schema and database clones',
  '"masks" belongs to schema and database clones');

------------------------------------------------------------------ schema clones: keys, foreign keys, partitions
-- The table clones above went into schema masking: keep the keyed logins, then
-- start the schema clones from an empty target.
CREATE TEMP TABLE keyed_logins AS SELECT id, login FROM masking.p_keyed;
DROP SCHEMA masking CASCADE;
CREATE SCHEMA masking_pre;  -- marks the target unchanged below
SELECT matches(pgtest.err(format('SELECT pgclone.schema(%L, %L, true, %L)', pgtest.src(), 'masking',
    $${"masks": {"nosuch": {"a": "hash"}}}$$)), '^22023: option "masks": table "nosuch" is not one of the tables this clone copies',
  'an unknown table in masks is 22023');
SELECT matches(pgtest.err(format('SELECT pgclone.schema(%L, %L, true, %L)', pgtest.src(), 'masking',
    $${"masks": {"people": {"login": "shuffle"}}}$$)),
  '^22023: cannot mask column "login" of table masking.people: mask "shuffle" is not deterministic, and foreign key orders_login_fkey',
  'a non-deterministic mask on a referenced key is 22023');
SELECT matches(pgtest.err(format('SELECT pgclone.schema(%L, %L, true, %L)', pgtest.src(), 'masking',
    $${"masks": {"people": {"login": "hash"}, "orders": {"login": "name"}}}$$)),
  '^22023: cannot mask column "login" of table masking.orders: foreign key orders_login_fkey references masking.people\(login\), which is masked differently',
  'a foreign key masked otherwise than its key is 22023');
SELECT ok(NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'masking'), 'refused schema clones changed nothing');

SELECT matches(pgtest.try(format('SELECT pgclone.schema(%L, %L, true, %L)', pgtest.src(), 'masking',
    $${"masks": {"masking.people": {"login": "hash", "email": "email"}, "events": {"login": "name"},
                "tight": {"e": "null"}}}$$)), '^OK: cloned schema masking', 'a schema clone with masks');
SELECT is((SELECT count(*) FROM masking.orders o JOIN masking.people p ON p.login = o.login), 300::bigint,
  'the key''s hash was carried to the foreign key: every order still finds its person');
SELECT is((SELECT count(*) FROM masking.orders WHERE login ~ '^user'), 0::bigint, 'no original login left in orders');
SELECT fk_ok('masking', 'orders', 'login', 'masking', 'people', 'login', 'the foreign key exists and holds');
SELECT is((SELECT count(*) FROM masking.people p JOIN keyed_logins k USING (id) WHERE p.login = k.login), 201::bigint,
  'the same key gives the same hash in a schema clone as in a table clone');
SELECT is((SELECT count(*) FROM masking.events WHERE login = 'XXXX'), 400::bigint,
  'partitions take the masks of their partitioned table');
SELECT is((SELECT count(*) FROM masking.events_2023 WHERE login <> 'XXXX'), 0::bigint, '... also read through the partition');
SELECT is((SELECT count(*) FROM masking.tight WHERE e IS NULL), 2::bigint, 'the other tables'' masks apply too');

------------------------------------------------------------------ async and resume keep the masks
SELECT is(pgclone.wait(pgclone.table_async(pgtest.src(), 'masking', 'people', true, 'p_async',
    '{"mask": {"full_name": "name"}}')), 'completed', 'table_async with a mask completes');
SELECT is((SELECT count(*) FROM masking.p_async WHERE full_name <> 'XXXX'), 0::bigint, 'the async clone is masked');
CREATE TABLE masking.p_resumed (blocker int);  -- the first run fails on it
CREATE TEMP TABLE failed_job AS SELECT pgclone.table_async(pgtest.src(), 'masking', 'people', true, 'p_resumed',
    '{"mask": {"full_name": "name", "login": "hash"}}') AS id;
SELECT is(pgclone.wait((SELECT id FROM failed_job)), 'failed', 'a masked job that fails (the table exists)');
DROP TABLE masking.p_resumed;
SELECT is(pgclone.wait(pgclone.resume((SELECT id FROM failed_job))), 'completed', 'resume() completes it');
SELECT is((SELECT count(*) FROM masking.p_resumed WHERE full_name = 'XXXX' AND login ~ '^[0-9a-f]{32}$'), 201::bigint,
  'the resumed job applied the same masks');

DROP SCHEMA masking CASCADE;
DROP SCHEMA masking_pre;
SELECT * FROM finish();
