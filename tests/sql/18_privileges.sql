-- Privileges are cloned, so a clone is never more open than its source.
-- Sources (tests/fixtures/63_privileges.sql): priv (grants to roles the
-- target has too: tests/fixtures/target/63_privileges_roles.sql) and
-- priv_ghost (also a grant to priv_src_only, which only the source has).
-- ACLs are compared as text with the owner (the caller here, the fixture
-- loader on the source: both the test superuser) written OWNER.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS priv CASCADE;
DROP SCHEMA IF EXISTS priv_ghost CASCADE;
SELECT plan(66);

-- An ACL as {item,item} without the array quoting of items ("\"Priv Lead\"=r/x").
CREATE FUNCTION pg_temp.acl_text(acl aclitem[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT '{' || array_to_string(acl::text[], ',') || '}' $$;

-- Every non-default ACL of a schema's objects, one line each, sorted.
CREATE FUNCTION pg_temp.acls(s text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(replace(x, current_user, 'OWNER'), E'\n' ORDER BY x), '') FROM (
    SELECT 'schema ' || nspname || ' ' || pg_temp.acl_text(nspacl) FROM pg_namespace WHERE nspname = s AND nspacl IS NOT NULL
    UNION ALL SELECT 'rel ' || relname || ' ' || pg_temp.acl_text(relacl) FROM pg_class
      WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s) AND relacl IS NOT NULL
    UNION ALL SELECT 'col ' || c.relname || '.' || a.attname || ' ' || pg_temp.acl_text(a.attacl)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s) AND a.attacl IS NOT NULL
    UNION ALL SELECT 'fn ' || p.oid::regprocedure::text || ' ' || pg_temp.acl_text(p.proacl) FROM pg_proc p
      WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = s) AND p.proacl IS NOT NULL
    UNION ALL SELECT 'type ' || typname || ' ' || pg_temp.acl_text(typacl) FROM pg_type
      WHERE typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s) AND typacl IS NOT NULL AND typcategory <> 'A'
  ) q(x) $$;

-- A schema's default privileges (ALTER DEFAULT PRIVILEGES … IN SCHEMA), one
-- line each: role, object type, ACL.
CREATE FUNCTION pg_temp.defacls(s text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(replace(x, current_user, 'OWNER'), E'\n' ORDER BY x COLLATE "C"), '') FROM (
    SELECT pg_get_userbyid(defaclrole) || ' ' || defaclobjtype::text || ' ' || pg_temp.acl_text(defaclacl)
    FROM pg_default_acl WHERE defaclnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s)
  ) q(x) $$;

-- What every mode must apply: the revocations (and the owner's own rights).
CREATE TEMP TABLE lockdown(line text);
INSERT INTO lockdown VALUES
  ('fn priv.locked() {OWNER=X/OWNER}'), ('fn priv.proc() {OWNER=X/OWNER}'),
  ('rel owner_limited {OWNER=r/OWNER}'), ('type mood {OWNER=U/OWNER}'), ('type posint {OWNER=U/OWNER}');

SELECT ok(NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'priv_src_only'), 'precondition: priv_src_only exists only on the source');

-- ------------------------------------------------------------ schema(), default: every grant
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'priv')$$), '^OK: cloned schema priv: 2 tables \(2 rows\)',
  'schema(priv) with the default options');
SELECT is(pg_temp.acls('priv'), concat_ws(E'\n',
  'col t.id {"Priv Lead"=r/OWNER}',
  'col t.note {"Priv Lead"=rw/OWNER}',
  'fn priv.locked() {OWNER=X/OWNER,"Priv Lead"=X*/OWNER}',
  'fn priv.proc() {OWNER=X/OWNER}',
  'rel owner_limited {OWNER=r/OWNER}',
  'rel t {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}',
  'rel t_id_seq {OWNER=rwU/OWNER,priv_reader=U/OWNER}',
  'rel tickets {OWNER=rwU/OWNER,"Priv Lead"=rU/OWNER}',
  'rel v {OWNER=arwdDxt/OWNER,priv_reader=r*/OWNER}',
  'schema priv {OWNER=UC/OWNER,priv_reader=U/OWNER,"Priv Lead"=U/OWNER}',
  'type mood {OWNER=U/OWNER,priv_reader=U/OWNER}',
  'type posint {OWNER=U/OWNER}'),
  'every ACL is the source''s (grantor: the owner, the caller on the target)');
SELECT ok(has_schema_privilege('priv_reader', 'priv', 'USAGE'), 'schema USAGE granted');
SELECT ok(NOT has_schema_privilege('priv_nobody', 'priv', 'USAGE'), 'schema USAGE not granted to others');
SELECT ok(has_table_privilege('priv_reader', 'priv.t', 'SELECT'), 'table SELECT granted');
SELECT ok(NOT has_table_privilege('priv_reader', 'priv.t', 'UPDATE'), 'but not UPDATE');
SELECT ok(NOT has_table_privilege('priv_nobody', 'priv.t', 'SELECT'), 'a role granted nothing cannot read the table');
SELECT ok(has_column_privilege('Priv Lead', 'priv.t', 'note', 'UPDATE'), 'column UPDATE granted');
SELECT ok(has_column_privilege('Priv Lead', 'priv.t', 'id', 'SELECT'), 'column SELECT granted');
SELECT ok(NOT has_column_privilege('Priv Lead', 'priv.t', 'secret', 'SELECT'), 'the other column stays closed');
SELECT ok(has_sequence_privilege('priv_reader', 'priv.t_id_seq', 'USAGE'), 'owned sequence USAGE granted');
SELECT ok(has_sequence_privilege('Priv Lead', 'priv.tickets', 'SELECT'), 'standalone sequence SELECT granted');
SELECT ok(has_table_privilege('priv_reader', 'priv.v', 'SELECT WITH GRANT OPTION'), 'view SELECT WITH GRANT OPTION granted');
SELECT ok(has_function_privilege('Priv Lead', 'priv.locked()', 'EXECUTE WITH GRANT OPTION'), 'EXECUTE WITH GRANT OPTION granted');
SELECT ok(NOT has_function_privilege('public', 'priv.locked()', 'EXECUTE'), 'the locked-down function is not executable by PUBLIC');
SELECT ok(NOT has_function_privilege('priv_reader', 'priv.locked()', 'EXECUTE'), 'nor by a role not granted it');
SELECT ok(has_function_privilege('priv_nobody', 'priv.open(integer)', 'EXECUTE'), 'a function left open stays open');
SELECT ok(NOT has_function_privilege('public', 'priv.proc()', 'EXECUTE'), 'the locked-down procedure is not executable by PUBLIC');
SELECT ok(NOT has_type_privilege('priv_nobody', 'priv.mood', 'USAGE'), 'type USAGE revoked from PUBLIC');
SELECT ok(has_type_privilege('priv_reader', 'priv.mood', 'USAGE'), 'type USAGE granted');
SELECT ok(NOT has_type_privilege('priv_nobody', 'priv.posint', 'USAGE'), 'domain USAGE revoked from PUBLIC');
SET ROLE priv_reader;
SELECT is((SELECT sqlstate || ' ' || message FROM pgtest.run('SELECT priv.locked()')), '42501 permission denied for function locked',
  'as priv_reader: calling the locked-down function is refused');
SELECT is(pgtest.try('SELECT count(*) FROM priv.t'), '2', 'as priv_reader: the table can be read');
RESET ROLE;
SELECT is(pg_temp.defacls('priv'), concat_ws(E'\n',
  'OWNER S {"Priv Lead"=U/OWNER}',
  'OWNER r {priv_reader=r/OWNER}',
  'priv_reader r {"Priv Lead"=r/priv_reader}'),
  'default privileges: the owner''s became the caller''s, priv_reader''s stayed priv_reader''s');
SELECT is(pg_temp.acls('priv'), concat_ws(E'\n',
  'col t.id {"Priv Lead"=r/OWNER}',
  'col t.note {"Priv Lead"=rw/OWNER}',
  'fn priv.locked() {OWNER=X/OWNER,"Priv Lead"=X*/OWNER}',
  'fn priv.proc() {OWNER=X/OWNER}',
  'rel owner_limited {OWNER=r/OWNER}',
  'rel t {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}',
  'rel t_id_seq {OWNER=rwU/OWNER,priv_reader=U/OWNER}',
  'rel tickets {OWNER=rwU/OWNER,"Priv Lead"=rU/OWNER}',
  'rel v {OWNER=arwdDxt/OWNER,priv_reader=r*/OWNER}',
  'schema priv {OWNER=UC/OWNER,priv_reader=U/OWNER,"Priv Lead"=U/OWNER}',
  'type mood {OWNER=U/OWNER,priv_reader=U/OWNER}',
  'type posint {OWNER=U/OWNER}'),
  'default privileges were set last: no ACL of a cloned object changed (the tables are not readable by everyone the defaults name)');
CREATE TABLE priv.after_clone (id integer);
INSERT INTO priv.after_clone VALUES (1);
SELECT ok(has_table_privilege('priv_reader', 'priv.after_clone', 'SELECT'), 'a table the caller creates after the clone gets the default privileges');
SELECT ok(NOT has_table_privilege('priv_nobody', 'priv.after_clone', 'SELECT'), 'and only those');
SET ROLE priv_reader;
SELECT is(pgtest.try('SELECT count(*) FROM priv.after_clone'), '1', 'as priv_reader: the new table can be read');
RESET ROLE;
SET ROLE priv_nobody;
SELECT is((SELECT sqlstate FROM pgtest.run('SELECT count(*) FROM priv.after_clone')), '42501', 'as priv_nobody: it cannot');
RESET ROLE;
DROP SCHEMA priv CASCADE;

-- ------------------------------------------------------------ privileges: false
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'priv', true, '{"privileges": false}')$$),
  '^OK: cloned schema priv: .* \(privileges not cloned\)$', 'privileges false: the result says so');
SELECT is(pg_temp.acls('priv'), (SELECT string_agg(line, E'\n' ORDER BY line) FROM lockdown),
  'privileges false: no GRANT, but every revocation');
SELECT ok(NOT has_function_privilege('public', 'priv.locked()', 'EXECUTE'), 'privileges false: the locked-down function is not executable by PUBLIC');
SELECT ok(NOT has_table_privilege('priv_reader', 'priv.t', 'SELECT'), 'privileges false: no grant on the table');
SELECT is(pg_temp.defacls('priv'), '', 'privileges false: no default privileges either (they only grant)');
DROP SCHEMA priv CASCADE;

-- ------------------------------------------------------------ a grantee missing on the target
SELECT is((SELECT sqlstate || ' ' || message FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'priv_ghost', true, '{"privileges": true}')$$)),
  '42704 role "priv_src_only" does not exist on the target', 'privileges true: a missing grantee is 42704 naming it');
SELECT matches((SELECT hint FROM pgtest.run($$SELECT pgclone.schema(pgtest.src(), 'priv_ghost', true, '{"privileges": true}')$$)),
  'clone_roles.*skip_missing_roles.*"privileges": false', 'the hint names clone_roles, skip_missing_roles and false');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT hasnt_schema('priv_ghost', 'up front: the target is unchanged');
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'priv_ghost', true, '{"privileges": "skip_missing_roles"}')$$),
  '^OK: cloned schema priv_ghost: 1 table \(1 row\)', 'skip_missing_roles: the clone goes on');
SELECT is(pg_temp.acls('priv_ghost'), concat_ws(E'\n',
  'fn priv_ghost.locked() {OWNER=X/OWNER}',
  'rel g {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}'),
  'skip_missing_roles: the other grants and the revocations are applied');
SELECT is(pg_temp.defacls('priv_ghost'), '', 'skip_missing_roles: default privileges granting to, or for, the missing role are skipped');
SELECT ok(NOT has_function_privilege('public', 'priv_ghost.locked()', 'EXECUTE'), 'skip_missing_roles: the locked-down function is not executable by PUBLIC');
DROP SCHEMA priv_ghost CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'priv_ghost')$$),
  '^OK: cloned schema priv_ghost: 1 table \(1 row\)', 'no option: grants to missing roles are skipped, as with skip_missing_roles');
SELECT is(pg_temp.acls('priv_ghost'), concat_ws(E'\n',
  'fn priv_ghost.locked() {OWNER=X/OWNER}',
  'rel g {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}'),
  'no option: the other grants and the revocations are applied');
DROP SCHEMA priv_ghost CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'priv_ghost', true, '{"privileges": false}')$$),
  '\(privileges not cloned\)$', 'privileges false: a missing grantee does not matter');
SELECT is(pg_temp.acls('priv_ghost'), 'fn priv_ghost.locked() {OWNER=X/OWNER}', 'privileges false: only the revocation');
DROP SCHEMA priv_ghost CASCADE;

-- ------------------------------------------------------------ table()
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'priv', 't')$$), '^OK: cloned priv.t, 2 rows', 'table(priv.t)');
SELECT is(pg_temp.acls('priv'), concat_ws(E'\n',
  'col t.id {"Priv Lead"=r/OWNER}',
  'col t.note {"Priv Lead"=rw/OWNER}',
  'rel t {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}',
  'rel t_id_seq {OWNER=rwU/OWNER,priv_reader=U/OWNER}'),
  'table(): the table''s, its columns'' and its owned sequence''s ACLs');
DROP TABLE priv.t;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'priv', 't', true, 't', '{"columns": ["id", "secret"]}')$$),
  '^OK: cloned priv.t', 'table(priv.t) with a column subset');
SELECT is(pg_temp.acls('priv'), concat_ws(E'\n',
  'col t.id {"Priv Lead"=r/OWNER}',
  'rel t {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}',
  'rel t_id_seq {OWNER=rwU/OWNER,priv_reader=U/OWNER}'),
  'table() with columns: grants on columns not cloned are left out');
DROP TABLE priv.t;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'priv', 't', true, 't_copy')$$), '^OK: cloned priv.t as priv.t_copy',
  'table(priv.t) under another name');
SELECT is(pg_temp.acls('priv'), concat_ws(E'\n',
  'col t_copy.id {"Priv Lead"=r/OWNER}',
  'col t_copy.note {"Priv Lead"=rw/OWNER}',
  'rel t_copy {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}'),
  'table() under another name: the table''s and its columns'' ACLs (its renamed sequence''s are left out)');
DROP SCHEMA priv CASCADE;
SELECT is(pg_temp.acls('priv'), '', '(the schema is gone)');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'priv', 'owner_limited')$$), '^OK: cloned priv.owner_limited', 'table(priv.owner_limited)');
SELECT is(pg_temp.acls('priv'), 'rel owner_limited {OWNER=r/OWNER}', 'table(): the owner''s own revocation is applied');
DROP SCHEMA priv CASCADE;
SELECT is((SELECT sqlstate || ' ' || message FROM pgtest.run($$SELECT pgclone.table(pgtest.src(), 'priv_ghost', 'g', true, 'g', '{"privileges": true}')$$)),
  '42704 role "priv_src_only" does not exist on the target', 'table(): privileges true, a missing grantee: 42704');
SELECT ok(pgtest.wait_quiet(5), 'the agent''s target transactions ended');
SELECT hasnt_schema('priv_ghost', 'table(): up front, nothing created');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'priv_ghost', 'g', true, 'g', '{"privileges": "skip_missing_roles"}')$$),
  '^OK: cloned priv_ghost.g, 1 row', 'table() with skip_missing_roles');
SELECT is(pg_temp.acls('priv_ghost'), 'rel g {OWNER=arwdDxt/OWNER,priv_reader=r/OWNER}', 'table(): only the grant whose role exists');
DROP TABLE priv_ghost.g;
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'priv_ghost', 'g', false, 'g', '{"privileges": false}')$$),
  '^OK: cloned priv_ghost.g .*\(privileges not cloned\)$', 'table() with privileges false says so');
SELECT is(pg_temp.acls('priv_ghost'), '', 'table() with privileges false: no grant');

-- ------------------------------------------------------------ functions()
DROP SCHEMA IF EXISTS priv CASCADE;
SELECT matches(pgtest.try($$SELECT pgclone.functions(pgtest.src(), 'priv')$$), '^OK: cloned 3 functions of schema priv$', 'functions(priv)');
SELECT is(pg_temp.acls('priv'), concat_ws(E'\n',
  'fn priv.locked() {OWNER=X/OWNER,"Priv Lead"=X*/OWNER}',
  'fn priv.proc() {OWNER=X/OWNER}',
  'schema priv {OWNER=UC/OWNER,priv_reader=U/OWNER,"Priv Lead"=U/OWNER}'),
  'functions(): the functions'' ACLs, and the ACL of the schema it created');
DROP SCHEMA priv CASCADE;

-- ------------------------------------------------------------ the option is checked
SELECT is(pgtest.err($$SELECT pgclone.schema(pgtest.src(), 'priv', true, '{"privileges": "some"}')$$),
  '22023: option "privileges" must be true, false or "skip_missing_roles"', 'a bad value: 22023');

DROP SCHEMA IF EXISTS priv CASCADE;
DROP SCHEMA IF EXISTS priv_ghost CASCADE;
SELECT * FROM finish();
