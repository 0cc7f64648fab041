-- Dynamic masking policies (issue 11): create_masking_policy makes
-- <table>_masked, a security_barrier view that shows real values to members
-- of the privileged role and masked ones to everyone else, decided per query;
-- drop_masking_policy undoes exactly the privilege changes it recorded.
-- No agent is involved, so the whole file runs in one transaction that is
-- rolled back at the end (roles included).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
SELECT plan(78);

CREATE ROLE pgc27_owner;
CREATE ROLE pgc27_priv;
CREATE ROLE pgc27_member IN ROLE pgc27_priv;
CREATE ROLE pgc27_plain;
CREATE ROLE pgc27_other;
GRANT USAGE ON SCHEMA pgclone TO pgc27_owner, pgc27_other;
GRANT EXECUTE ON FUNCTION pgclone.create_masking_policy(text, text, text, text),
                          pgclone.drop_masking_policy(text, text) TO pgc27_owner, pgc27_other;
CREATE SCHEMA pgc27 AUTHORIZATION pgc27_owner;
GRANT USAGE ON SCHEMA pgc27 TO PUBLIC;

SET ROLE pgc27_owner;
CREATE TABLE pgc27.people (
  id int PRIMARY KEY, email text, full_name text, phone text, card text, secret text, note text,
  age int, status text, salary numeric, born date, city text, code varchar(3));
INSERT INTO pgc27.people VALUES
  (1, 'alice@example.com', 'Alice Smith', '555-123-4567', '4111111111111111', 's3cret', 'private note',
   42, 'active', 52345.67, '1990-07-15', 'Berlin', 'abc'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
GRANT SELECT ON pgc27.people TO PUBLIC;
RESET ROLE;

-- Every privilege on a relation and its columns, as one comparable text.
CREATE FUNCTION pg_temp.acl(rel regclass) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(x, ' ' ORDER BY x), '') FROM (
    SELECT a.grantee::regrole::text || '/' || a.privilege_type || '/' || a.grantor::regrole::text AS x
      FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a WHERE c.oid = rel
    UNION ALL
    SELECT t.attname || ':' || a.grantee::regrole::text || '/' || a.privilege_type || '/' || a.grantor::regrole::text
      FROM pg_attribute t, aclexplode(t.attacl) a WHERE t.attrelid = rel) s
$$;
CREATE TEMP TABLE before_acl AS SELECT pg_temp.acl('pgc27.people') AS acl;
GRANT SELECT ON before_acl TO PUBLIC;

CREATE TEMP TABLE masks AS SELECT '{"email": "email", "full_name": "name", "phone": "phone",
  "card": {"type": "partial", "prefix": 2, "suffix": 2}, "secret": "hash", "note": "null",
  "age": {"type": "random_int", "min": 18, "max": 90}, "status": {"type": "constant", "value": "HIDDEN"},
  "salary": {"type": "generalize", "step": 1000}, "born": {"type": "generalize", "step": "month"}}'::text AS m;

-- ---------------------------------------------------------------- create
SELECT is(pgclone.create_masking_policy('pgc27', 'people', (SELECT m FROM masks), 'pgc27_priv'),
  'OK: masking policy on pgc27.people: view pgc27.people_masked (10 columns masked, privileged role pgc27_priv)',
  'create_masking_policy reports the view, the masked columns and the role');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'pgc27.people_masked'::regclass), 'v', 'the view exists');
SELECT ok((SELECT 'security_barrier=true' = ANY (reloptions) FROM pg_class WHERE oid = 'pgc27.people_masked'::regclass),
  'it is a security_barrier view');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'pgc27.people_masked'::regclass), 'pgc27_owner',
  'it belongs to the table''s owner (the caller was a superuser)');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'pgc27.people_masked'::regclass AND attnum > 0),
  (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'pgc27.people'::regclass AND attnum > 0),
  'the view has the table''s columns, in order');
SELECT is((SELECT array_agg(format_type(atttypid, atttypmod) ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'pgc27.people_masked'::regclass AND attnum > 0),
  (SELECT array_agg(format_type(atttypid, atttypmod) ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'pgc27.people'::regclass AND attnum > 0),
  'and their types');

-- Privileges: PUBLIC reads the view, not the table; the role reads the table.
SELECT ok(NOT has_table_privilege('public', 'pgc27.people', 'SELECT'), 'PUBLIC lost SELECT on the table');
SELECT ok(has_table_privilege('public', 'pgc27.people_masked', 'SELECT'), 'PUBLIC may SELECT the view');
SELECT ok(has_table_privilege('pgc27_priv', 'pgc27.people', 'SELECT'), 'the privileged role got SELECT on the table');
SELECT ok(NOT has_table_privilege('pgc27_plain', 'pgc27.people', 'SELECT'), 'an ordinary role cannot read the table');

-- The catalog row records the masks and what was changed.
SELECT is((SELECT masks FROM pgclone.masking_policies WHERE schema_name = 'pgc27' AND table_name = 'people'),
  '{"age": {"max": 90, "min": 18, "type": "random_int"}, "born": {"step": "month", "type": "generalize"},
    "card": {"type": "partial", "prefix": 2, "suffix": 2}, "note": {"type": "null"}, "email": {"type": "email"},
    "phone": {"type": "phone"}, "salary": {"step": 1000, "type": "generalize"}, "secret": {"type": "hash"},
    "status": {"type": "constant", "value": "HIDDEN"}, "full_name": {"type": "name"}}'::jsonb,
  'the catalog row holds the masks as {"column": rule}');
SELECT is((SELECT ROW(view_name, privileged_role, created_by, public_select_revoked, public_column_select_revoked,
                      role_select_granted)::text
             FROM pgclone.masking_policies WHERE schema_name = 'pgc27' AND table_name = 'people'),
  '(people_masked,pgc27_priv,postgres,t,{},t)',
  'and the view, the role, the caller, and what it changed (PUBLIC''s SELECT taken, SELECT granted to the role)');

-- ---------------------------------------------------------------- reading the view
SET ROLE pgc27_plain;
SELECT is((SELECT ROW(email, full_name, phone, card, secret, note, status, salary, born, city, code)::text
             FROM pgc27.people_masked WHERE id = 1),
  ROW('a***@example.com', 'XXXX', '***-4567', '41***11', md5('s3cret'), NULL, 'HIDDEN', 52000, '1990-07-01',
      'Berlin', 'abc')::text,
  'an unprivileged role sees every strategy''s masked value (unmasked columns as they are)');
SELECT ok((SELECT bool_and(age BETWEEN 18 AND 90) FROM pgc27.people_masked, generate_series(1, 20) WHERE id = 1),
  'random_int is within [min, max]');
SELECT is((SELECT ROW(email, full_name, phone, card, secret, note, age, status, salary, born)::text
             FROM pgc27.people_masked WHERE id = 2),
  ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'HIDDEN', NULL, NULL)::text,
  'NULL stays NULL, except under constant, which replaces NULLs too');
SELECT throws_ok('SELECT * FROM pgc27.people', '42501', NULL, 'the unprivileged role cannot read the table itself');
RESET ROLE;

SET ROLE pgc27_priv;
SELECT is((SELECT ROW(email, full_name, phone, card, secret, note, age, status, salary, born)::text
             FROM pgc27.people_masked WHERE id = 1),
  ROW('alice@example.com', 'Alice Smith', '555-123-4567', '4111111111111111', 's3cret', 'private note', 42,
      'active', 52345.67, '1990-07-15')::text,
  'the privileged role sees real values in the view');
SELECT is((SELECT email FROM pgc27.people WHERE id = 1), 'alice@example.com', 'and may read the table');
RESET ROLE;

SET ROLE pgc27_member;
SELECT is((SELECT email FROM pgc27.people_masked WHERE id = 1), 'alice@example.com',
  'a member of the privileged role sees real values');
RESET ROLE;

SELECT is((SELECT email FROM pgc27.people_masked WHERE id = 1), 'alice@example.com',
  'a superuser sees real values');

-- Decided per query by CURRENT_USER: this session logged in as a superuser
-- (SESSION_USER), but after SET ROLE the querying role is what counts.
SET ROLE pgc27_plain;
SELECT is((SELECT ROW(session_user, email)::text FROM pgc27.people_masked WHERE id = 1),
  ROW('postgres', 'a***@example.com')::text,
  'a privileged login that did SET ROLE to an unprivileged role sees masked values (CURRENT_USER, not SESSION_USER)');
RESET ROLE;
GRANT pgc27_priv TO pgc27_plain;
SET ROLE pgc27_plain;
SELECT is((SELECT email FROM pgc27.people_masked WHERE id = 1), 'alice@example.com',
  'made a member, the same role sees real values in the next query (no new view)');
RESET ROLE;
REVOKE pgc27_priv FROM pgc27_plain;
SET ROLE pgc27_plain;
SELECT is((SELECT email FROM pgc27.people_masked WHERE id = 1), 'a***@example.com',
  'and masked values again once the membership is revoked');
RESET ROLE;
-- A SECURITY DEFINER function of the privileged role reads as that role.
CREATE FUNCTION pgc27.priv_reads() RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
  AS $$ SELECT email FROM pgc27.people_masked WHERE id = 1 $$;
ALTER FUNCTION pgc27.priv_reads() OWNER TO pgc27_priv;
SET ROLE pgc27_plain;
SELECT is(pgc27.priv_reads(), 'alice@example.com', 'inside a SECURITY DEFINER function the definer''s role decides');
RESET ROLE;

-- security_barrier: a leaky function in the caller's WHERE sees only masked values.
CREATE TEMP TABLE leaked (v text);
GRANT INSERT, SELECT ON leaked TO PUBLIC;
CREATE FUNCTION pg_temp.leak(v text) RETURNS boolean LANGUAGE sql COST 0.0001
  AS $$ INSERT INTO leaked VALUES (v) RETURNING true $$;
SET ROLE pgc27_plain;
SELECT is((SELECT count(*) FROM pgc27.people_masked WHERE pg_temp.leak(email)), 2::bigint,
  'a query with a function of its own in WHERE runs');
RESET ROLE;
SELECT is((SELECT count(*) FROM leaked WHERE v LIKE 'alice%'), 0::bigint,
  'and that function never saw a real value');

-- ---------------------------------------------------------------- replace and drop
SELECT is(pgclone.create_masking_policy('pgc27', 'people', '{"email": "hash"}', 'pgc27_priv'),
  'OK: masking policy on pgc27.people replaced: view pgc27.people_masked (1 columns masked, privileged role pgc27_priv)',
  'a second create on the same table replaces the policy');
SELECT is((SELECT masks::text FROM pgclone.masking_policies WHERE schema_name = 'pgc27' AND table_name = 'people'),
  '{"email": {"type": "hash"}}', 'the catalog row holds the new masks');
SELECT is((SELECT count(*) FROM pgclone.masking_policies WHERE schema_name = 'pgc27'), 1::bigint, 'one row per table');
SET ROLE pgc27_plain;
SELECT is((SELECT ROW(email, full_name)::text FROM pgc27.people_masked WHERE id = 1),
  ROW(md5('alice@example.com'), 'Alice Smith')::text, 'the view shows the new masks');
RESET ROLE;
SELECT is((SELECT ROW(public_select_revoked, role_select_granted)::text FROM pgclone.masking_policies
            WHERE schema_name = 'pgc27' AND table_name = 'people'), '(t,t)',
  'the replacement still knows what the first policy changed');

SELECT is(pgclone.drop_masking_policy('pgc27', 'people'),
  'OK: masking policy on pgc27.people dropped (view pgc27.people_masked dropped; SELECT on pgc27.people given back to PUBLIC; SELECT on pgc27.people revoked from pgc27_priv)',
  'drop_masking_policy says what it undid');
SELECT is(pg_temp.acl('pgc27.people'), (SELECT acl FROM before_acl), 'the table''s privileges are exactly as before');
SELECT is(to_regclass('pgc27.people_masked'), NULL, 'the view is gone');
SELECT is((SELECT count(*) FROM pgclone.masking_policies WHERE schema_name = 'pgc27'), 0::bigint, 'the row is gone');
SELECT is(pgtest.err($$SELECT pgclone.drop_masking_policy('pgc27', 'people')$$),
  '42704: table pgc27.people has no masking policy', 'dropping it again: 42704');

-- PUBLIC never had SELECT, the role already had it: drop grants nothing to
-- PUBLIC and leaves the role's own grant.
REVOKE SELECT ON pgc27.people FROM PUBLIC;
GRANT SELECT ON pgc27.people TO pgc27_priv;
TRUNCATE before_acl; INSERT INTO before_acl SELECT pg_temp.acl('pgc27.people');
SELECT matches(pgclone.create_masking_policy('pgc27', 'people', '{"email": "email"}', 'pgc27_priv'), '^OK: ',
  'a policy on a table PUBLIC cannot read');
SELECT is((SELECT ROW(public_select_revoked, role_select_granted)::text FROM pgclone.masking_policies
            WHERE schema_name = 'pgc27' AND table_name = 'people'), '(f,f)',
  'records that it took nothing from PUBLIC and granted nothing to the role');
SELECT is(pgclone.drop_masking_policy('pgc27', 'people'),
  'OK: masking policy on pgc27.people dropped (view pgc27.people_masked dropped; PUBLIC had no SELECT on pgc27.people before the policy and gets none)',
  'drop says PUBLIC gets nothing');
SELECT is(pg_temp.acl('pgc27.people'), (SELECT acl FROM before_acl), 'privileges exactly as before');
SELECT ok(NOT has_table_privilege('public', 'pgc27.people', 'SELECT') AND has_table_privilege('pgc27_priv', 'pgc27.people', 'SELECT'),
  'PUBLIC still without SELECT, the role still with its own');

-- Column grants to PUBLIC on masked columns would leak: taken and given back;
-- those on unmasked columns stay.
REVOKE SELECT ON pgc27.people FROM pgc27_priv;
GRANT SELECT (id, email, city) ON pgc27.people TO PUBLIC;
TRUNCATE before_acl; INSERT INTO before_acl SELECT pg_temp.acl('pgc27.people');
SELECT matches(pgclone.create_masking_policy('pgc27', 'people', '{"email": "email"}', 'pgc27_priv'), '^OK: ',
  'a policy on a table with column grants to PUBLIC');
SELECT ok(NOT has_column_privilege('public', 'pgc27.people', 'email', 'SELECT'), 'PUBLIC lost SELECT on the masked column');
SELECT ok(has_column_privilege('public', 'pgc27.people', 'city', 'SELECT')
          AND has_column_privilege('public', 'pgc27.people', 'id', 'SELECT'),
  'and kept it on unmasked columns');
SELECT is((SELECT public_column_select_revoked::text FROM pgclone.masking_policies
            WHERE schema_name = 'pgc27' AND table_name = 'people'), '{email}', 'the catalog row names the column');
SELECT matches(pgclone.drop_masking_policy('pgc27', 'people'), 'SELECT \(email\) given back to PUBLIC',
  'drop gives the column grant back');
SELECT is(pg_temp.acl('pgc27.people'), (SELECT acl FROM before_acl), 'privileges exactly as before');
REVOKE SELECT (id, email, city) ON pgc27.people FROM PUBLIC;
GRANT SELECT ON pgc27.people TO PUBLIC;
TRUNCATE before_acl; INSERT INTO before_acl SELECT pg_temp.acl('pgc27.people');

-- ---------------------------------------------------------------- who may call
SET ROLE pgc27_owner;
SELECT matches(pgclone.create_masking_policy('pgc27', 'people', '{"email": "email"}', 'pgc27_priv'), '^OK: ',
  'the table''s owner may create a policy');
SELECT matches(pgclone.drop_masking_policy('pgc27', 'people'), '^OK: ', 'and drop it');
RESET ROLE;
SET ROLE pgc27_other;
SELECT is(pgtest.err($$SELECT pgclone.create_masking_policy('pgc27', 'people', '{"email": "email"}', 'pgc27_priv')$$),
  '42501: must be owner of table pgc27.people', 'another role may not: 42501');
RESET ROLE;

-- ---------------------------------------------------------------- errors change nothing
CREATE FUNCTION pg_temp.unchanged() RETURNS boolean LANGUAGE sql AS $$
  SELECT pg_temp.acl('pgc27.people') = (SELECT acl FROM before_acl)
     AND to_regclass('pgc27.people_masked') IS NULL
     AND NOT EXISTS (SELECT 1 FROM pgclone.masking_policies WHERE schema_name = 'pgc27' AND table_name = 'people')
$$;
CREATE FUNCTION pg_temp.create_err(masks text, role text DEFAULT 'pgc27_priv', tbl text DEFAULT 'people')
RETURNS text LANGUAGE sql AS $$
  SELECT pgtest.err(format('SELECT pgclone.create_masking_policy(%L, %L, %L, %L)', 'pgc27', tbl, masks, role))
$$;
SELECT is(pg_temp.create_err('{"email": "email"}', 'pgc27_priv', 'nope'), '42P01: table pgc27.nope does not exist',
  'unknown table: 42P01');
SELECT is(pg_temp.create_err('{"nope": "email"}'),
  '22023: option "mask_json": column "nope" of table pgc27.people does not exist', 'unknown column: 22023 naming it');
SELECT is(pg_temp.create_err('{"email": "email"}', 'pgc27_nobody'), '42704: role "pgc27_nobody" does not exist',
  'unknown role: 42704');
SELECT is(pg_temp.create_err('{"email": "email"}', 'public'), '22023: privileged_role must be a role, not PUBLIC',
  'PUBLIC as the privileged role: 22023');
SELECT matches(pg_temp.create_err('{"email": '), '^22023: invalid JSON in argument "mask_json"', 'malformed JSON: 22023');
SELECT is(pg_temp.create_err('{}'), '22023: option "mask_json" must name at least one column', 'no column: 22023');
SELECT is(pg_temp.create_err('{"email": "blur"}'),
  '22023: option "mask_json": column "email": unknown mask strategy "blur"', 'unknown strategy: 22023');
SELECT is(pg_temp.create_err('{"email": "pseudonym"}'),
  '22023: cannot mask column "email" of table pgc27.people in a view: mask "pseudonym" needs the agent''s key, which never goes to the target database',
  'pseudonym: 22023, no key exists in the database');
SELECT matches(pg_temp.create_err('{"email": "shuffle"}'),
  '^22023: cannot mask column "email" of table pgc27.people in a view: mask "shuffle" permutes values among rows',
  'shuffle: 22023, not a per-row mask');
SELECT matches(pg_temp.create_err('{"salary": "noise"}'),
  '^22023: cannot mask column "salary" of table pgc27.people in a view: mask "noise" would draw new noise on every query',
  'noise: 22023, repeated reads would average it away');
SELECT is(pg_temp.create_err('{"age": "hash"}'),
  '22023: cannot mask column "age" of table pgc27.people in a view: mask "hash" writes text, which a column of type integer cannot hold',
  'a mask the column''s type cannot hold: 22023');
SELECT is(pg_temp.create_err('{"code": "name"}'),
  '22023: cannot mask column "code" of table pgc27.people in a view: mask "name" writes values of 4 characters, longer than character varying(3) holds',
  'a mask too long for varchar(n): 22023');
SELECT is(pg_temp.create_err('{"age": {"type": "constant", "value": "old"}}'),
  '22023: cannot mask column "age" of table pgc27.people: the mask writes a value that is not a value of type integer',
  'a constant that is not a value of the type: 22023');
SELECT ok(pg_temp.unchanged(), 'none of these changed anything');

CREATE TABLE pgc27.people_masked (x int);
SELECT is(pg_temp.create_err('{"email": "email"}'), '42P07: relation pgc27.people_masked already exists',
  'the view''s name taken by something else: 42P07');
DROP TABLE pgc27.people_masked;
SELECT ok(pg_temp.unchanged(), 'nothing changed');

CREATE VIEW pgc27.v AS SELECT id, email FROM pgc27.people;
SELECT is(pg_temp.create_err('{"email": "email"}', 'pgc27_priv', 'v'), '42809: pgc27.v is not a table',
  'a view: 42809');

-- PUBLIC's SELECT granted by a role other than the owner cannot be taken back.
GRANT SELECT ON pgc27.people TO pgc27_other WITH GRANT OPTION;
SET ROLE pgc27_other;
GRANT SELECT ON pgc27.people TO PUBLIC;
RESET ROLE;
TRUNCATE before_acl; INSERT INTO before_acl SELECT pg_temp.acl('pgc27.people');
SELECT is(pg_temp.create_err('{"email": "email"}'),
  '55000: cannot create a masking policy on table pgc27.people: PUBLIC holds SELECT on it from role pgc27_other, not from the table''s owner',
  'PUBLIC''s SELECT from another grantor: 55000');
SELECT ok(pg_temp.unchanged(), 'nothing changed');
REVOKE SELECT ON pgc27.people FROM pgc27_other CASCADE;
TRUNCATE before_acl; INSERT INTO before_acl SELECT pg_temp.acl('pgc27.people');

ALTER TABLE pgc27.people ENABLE ROW LEVEL SECURITY;
SELECT matches(pg_temp.create_err('{"email": "email"}'),
  '^0A000: cannot create a masking policy on table pgc27.people: it has row level security',
  'row level security: 0A000 (the view would bypass it)');
ALTER TABLE pgc27.people DISABLE ROW LEVEL SECURITY;

CREATE TABLE pgc27.gen (a text, b text GENERATED ALWAYS AS (upper(a)) STORED);
SELECT is(pg_temp.create_err('{"a": "name"}', 'pgc27_priv', 'gen'),
  '22023: cannot mask column "a" of table pgc27.gen in a view: generated column "b" is computed from it and would show what the mask hides',
  'a generated column computed from a masked one, left unmasked: 22023');
SELECT matches(pgclone.create_masking_policy('pgc27', 'gen', '{"a": "name", "b": "name"}', 'pgc27_priv'), '^OK: ',
  'masked as well, it is fine');

SELECT is(pgtest.err($$SELECT pgclone.create_masking_policy('pgc27', 'people', NULL, 'pgc27_priv')$$),
  '22004: argument mask_json of pgclone.create_masking_policy must not be NULL', 'NULL masks: 22004');
SELECT is(pgtest.err($$SELECT pgclone.drop_masking_policy(NULL, 'people')$$),
  '22004: argument schema_name of pgclone.drop_masking_policy must not be NULL', 'NULL schema: 22004');
SELECT ok(pg_temp.unchanged(), 'still nothing changed on pgc27.people');

-- Partitions PUBLIC may read directly would leak the masked rows.
CREATE TABLE pgc27.parted (id int, email text) PARTITION BY RANGE (id);
CREATE TABLE pgc27.parted_1 PARTITION OF pgc27.parted FOR VALUES FROM (0) TO (10);
GRANT SELECT ON pgc27.parted_1 TO PUBLIC;
SELECT is(pg_temp.create_err('{"email": "email"}', 'pgc27_priv', 'parted'),
  '55000: cannot create a masking policy on table pgc27.parted: PUBLIC may read its partition or child table pgc27.parted_1 directly',
  'a partition PUBLIC can read: 55000');
REVOKE SELECT ON pgc27.parted_1 FROM PUBLIC;
INSERT INTO pgc27.parted VALUES (1, 'bob@example.org');
SELECT matches(pgclone.create_masking_policy('pgc27', 'parted', '{"email": "email"}', 'pgc27_priv'), '^OK: ',
  'a partitioned table');
SET ROLE pgc27_plain;
SELECT is((SELECT email FROM pgc27.parted_masked), 'b***@example.org', 'its view masks the partitions'' rows');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
