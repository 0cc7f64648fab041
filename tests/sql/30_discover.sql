-- pgclone.discover_sensitive() on schema disc (tests/fixtures/71_discover.sql):
-- what it finds by name and by value, what it leaves out, that its JSON is
-- usable as "masks" as it stands (the masked clone keeps no original value),
-- its job, its errors; then pgclone.masking_report() on the clone: policy,
-- view and unmasked columns, the caller's visibility, its errors.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS disc CASCADE;
DROP ROLE IF EXISTS disc_reader;
DELETE FROM pgclone.masking_policies WHERE schema_name = 'disc';
SELECT plan(71);

------------------------------------------------------------------ what it finds
CREATE TEMP TABLE d AS SELECT pgclone.discover_sensitive(pgtest.src(), 'disc') AS t;
ALTER TABLE d ADD COLUMN j jsonb;
UPDATE d SET j = t::jsonb;
CREATE FUNCTION pg_temp.keys(o jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(k ORDER BY k), '{}') FROM jsonb_object_keys(o) k $$;

SELECT is((SELECT jsonb_typeof(j) FROM d), 'object', 'the result is a JSON object');
SELECT is((SELECT pg_temp.keys(j) FROM d), ARRAY['contacts', 'employees', 'people', 'visits'],
  'tables with sensitive columns only: not orders (only a foreign key), plain, or the partitions of visits');

-- by name (the established pgclone's employees fixture)
SELECT is((SELECT pg_temp.keys(j -> 'employees') FROM d), ARRAY['email', 'full_name', 'phone', 'salary', 'ssn'],
  'employees: email, full_name, phone, salary, ssn; not id, notes, dept');
SELECT is((SELECT j #>> '{employees,email}' FROM d), 'email', 'employees.email: "email" (varchar(100) holds the masked values)');
SELECT is((SELECT j #>> '{employees,full_name}' FROM d), 'name', 'employees.full_name: "name"');
SELECT is((SELECT j #>> '{employees,phone}' FROM d), 'phone', 'employees.phone: "phone"');
SELECT is((SELECT j #> '{employees,salary}' FROM d), '{"type": "noise", "ratio": 0.1}'::jsonb, 'employees.salary: noise 10 %');
SELECT is((SELECT j #> '{employees,ssn}' FROM d), '{"type": "partial", "prefix": 0, "suffix": 4}'::jsonb,
  'employees.ssn: partial, last 4 kept');

-- by value
SELECT is((SELECT pg_temp.keys(j -> 'contacts') FROM d), ARRAY['contact', 'origin', 'ref', 'seen_from', 'who'],
  'contacts: found by their values; not ref2 (16 digits failing Luhn), notes (free text), code, id');
SELECT is((SELECT j #>> '{contacts,contact}' FROM d), 'email', 'contacts.contact (e-mail addresses): "email"');
SELECT is((SELECT j #> '{contacts,ref}' FROM d), '{"type": "partial", "prefix": 0, "suffix": 4}'::jsonb,
  'contacts.ref (Luhn-valid card numbers): partial');
SELECT is((SELECT j #>> '{contacts,origin}' FROM d), 'hash', 'contacts.origin (IPv4 addresses in text): "hash"');
SELECT is((SELECT j #>> '{contacts,who}' FROM d), 'name', 'contacts.who (people''s names): "name"');
SELECT is((SELECT j #>> '{contacts,seen_from}' FROM d), 'null', 'contacts.seen_from (inet): "null"');

-- keys, foreign keys, types
SELECT is((SELECT pg_temp.keys(j -> 'people') FROM d), ARRAY['date_of_birth', 'email', 'income'],
  'people: not backup_email (varchar(20) UNIQUE: no mask keeps it a key and fits)');
SELECT is((SELECT j #>> '{people,email}' FROM d), 'hash', 'people.email (PRIMARY KEY, referenced): "hash", deterministic and distinct');
SELECT is((SELECT j #> '{people,date_of_birth}' FROM d), '{"type": "generalize", "step": "year"}'::jsonb,
  'people.date_of_birth: generalized to the year');
SELECT is((SELECT j #> '{people,income}' FROM d), '{"type": "noise", "ratio": 0.1}'::jsonb, 'people.income: noise');
SELECT is((SELECT j #>> '{visits,client_ip}' FROM d), 'hash', 'visits.client_ip on the partitioned table: "hash"');
SELECT is((SELECT pg_temp.keys(j -> 'visits') FROM d), ARRAY['client_ip'], 'visits: client_ip only');

-- no sampled value in the result
SELECT unalike((SELECT t FROM d), '%example.%', 'no e-mail value in the result');
SELECT unalike((SELECT t FROM d), '%Lovelace%', 'no name value in the result');

------------------------------------------------------------------ its job
CREATE TEMP TABLE job AS SELECT * FROM pgclone.jobs_view
  WHERE op_type = 'discover_sensitive' AND schema_name = 'disc' ORDER BY job_id DESC LIMIT 1;
SELECT is((SELECT count(*) FROM job), 1::bigint, 'the discovery is a job in jobs_view with op_type discover_sensitive');
SELECT is((SELECT status FROM job), 'completed', 'its status is completed');
SELECT is((SELECT tables_completed || '/' || tables_total FROM job), '6/6',
  'it counted the six tables it looked at (employees, contacts, people, orders, visits, plain)');
SELECT is((SELECT error_message FROM job), NULL, 'no error');

------------------------------------------------------------------ errors
SELECT is(pgtest.err($$SELECT pgclone.discover_sensitive(pgtest.src(), 'no_such_schema')$$),
  '3F000: source schema no_such_schema does not exist', 'unknown schema: 3F000 naming it');
SELECT is((SELECT status || ' ' || error_message FROM pgclone.jobs_view
            WHERE op_type = 'discover_sensitive' AND schema_name = 'no_such_schema' ORDER BY job_id DESC LIMIT 1),
  'failed source schema no_such_schema does not exist', 'the failed discovery shows in jobs_view');
SELECT matches(pgtest.err($$SELECT pgclone.discover_sensitive(pgtest.dead_src(), 'disc')$$), '^08001: ',
  'unreachable source: 08001, as for clones');
SELECT matches(pgtest.err($$SELECT pgclone.discover_sensitive('host=/tmp bogus_keyword=1', 'disc')$$), '^22023: invalid connection string',
  'a malformed conninfo: 22023, as for clones');
SELECT unalike(pgtest.all_text($$SELECT pgclone.discover_sensitive(pgtest.src() || ' password=Pw_Leak_4242', 'no_such_schema')$$),
  '%Pw_Leak_4242%', 'a password in the conninfo is not in the error');
SELECT is(pgtest.err($$SELECT pgclone.discover_sensitive(NULL, 'disc')$$),
  '22004: argument conninfo of pgclone.discover_sensitive must not be NULL', 'NULL conninfo: 22004');
SELECT is(pgtest.err($$SELECT pgclone.discover_sensitive(pgtest.src(), NULL)$$),
  '22004: argument schema_name of pgclone.discover_sensitive must not be NULL', 'NULL schema: 22004');
SELECT is(pgtest.err($$SELECT pgclone.discover_sensitive(pgtest.src(), '')$$),
  '22023: argument schema_name of pgclone.discover_sensitive must not be empty', 'empty schema: 22023');

------------------------------------------------------------------ usable as "masks"
SELECT matches(pgtest.try($$SELECT pgclone.schema(pgtest.src(), 'disc', true,
    json_build_object('masks', pgclone.discover_sensitive(pgtest.src(), 'disc')::json)::text)$$),
  '^OK: cloned schema disc: \d+ tables', 'schema clone with masks = discover_sensitive(): succeeds');
-- the originals next to the masked tables, unmasked
SELECT matches(pgtest.try(format($$SELECT pgclone.table(pgtest.src(), 'disc', %L, true, %L)$$, t, t || '_orig')),
  '^OK', 'original of disc.' || t || ' cloned unmasked for comparison')
FROM unnest(ARRAY['employees', 'contacts', 'people']) t;

-- How many of the masked column's values are an original value of that column.
CREATE FUNCTION pg_temp.survivors(tbl text, col text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM disc.%I m WHERE m.%I IN (SELECT o.%I FROM disc.%I o WHERE o.%I IS NOT NULL)',
                 tbl, col, col, tbl || '_orig', col) INTO n;
  RETURN n;
END $$;

SELECT is(pg_temp.survivors(t.key, c), 0::bigint, format('no original value of %s.%s survives', t.key, c))
FROM d, jsonb_each(d.j) t, jsonb_object_keys(t.value) c
WHERE t.key IN ('employees', 'contacts', 'people')
ORDER BY t.key, c;
SELECT is(pg_temp.survivors('contacts', 'ref2'), 40::bigint, 'contacts.ref2, not flagged, is cloned as it was');
SELECT is(pg_temp.survivors('contacts', 'notes'), 40::bigint, 'contacts.notes, not flagged, is cloned as it was');
SELECT is((SELECT count(*) FROM disc.employees WHERE full_name = 'XXXX' AND email LIKE '_***@example.com'
             AND phone ~ '^\*\*\*-\d{4}$' AND ssn ~ '^\*\*\*\d{4}'), 5::bigint, 'employees: the masks as the strategies say');
SELECT is((SELECT count(*) FROM disc.contacts WHERE seen_from IS NULL AND origin ~ '^[0-9a-f]{32}$'), 40::bigint,
  'contacts: inet nulled, IPs in text hashed');
SELECT is((SELECT count(*) FROM disc.people WHERE email ~ '^[0-9a-f]{32}$' AND extract(doy FROM date_of_birth) = 1),
  5::bigint, 'people: key hashed, birth dates generalized to the year');
SELECT is((SELECT count(*) FROM disc.orders o JOIN disc.people p ON p.email = o.person_email), 12::bigint,
  'orders.person_email took the key''s hash: every order still finds its person');
SELECT is((SELECT count(*) FROM disc.visits WHERE client_ip ~ '^[0-9a-f]{32}$'), 30::bigint,
  'visits: the partitions took the parent''s mask');

------------------------------------------------------------------ masking_report
INSERT INTO pgclone.masking_policies (schema_name, table_name, view_name, masks, privileged_role)
  VALUES ('disc', 'employees', 'employees_masked', '{"email": "email", "full_name": "name"}', current_user);
CREATE VIEW disc.people_masked AS SELECT md5(email) AS email FROM disc.people;
CREATE TEMP TABLE r AS SELECT * FROM pgclone.masking_report('disc');

SELECT is((SELECT array_agg(column_name || ': ' || sensitivity || ', ' || mask_status ORDER BY column_name)
             FROM r WHERE table_name = 'employees'),
  ARRAY['email: email, MASKED (policy)', 'full_name: person_name, MASKED (policy)', 'phone: phone, UNMASKED',
        'salary: money, UNMASKED', 'ssn: national_id, UNMASKED'],
  'employees: what the policy masks, and what it leaves');
SELECT is((SELECT recommendation FROM r WHERE table_name = 'employees' AND column_name = 'email'), 'OK - masked via policy',
  'a policy''s column: OK - masked via policy');
SELECT is((SELECT recommendation FROM r WHERE table_name = 'employees' AND column_name = 'phone'),
  'Apply mask strategy: "phone"', 'an unmasked column: the strategy to apply');
SELECT is((SELECT recommendation FROM r WHERE table_name = 'employees' AND column_name = 'ssn'),
  'Apply mask strategy: {"prefix":0,"suffix":4,"type":"partial"}', 'a rule with parameters, as JSON');
SELECT is((SELECT array_agg(column_name || ': ' || mask_status || ', ' || recommendation ORDER BY column_name)
             FROM r WHERE table_name = 'people'),
  ARRAY['backup_email: MASKED (view), OK - masked via view', 'date_of_birth: MASKED (view), OK - masked via view',
        'email: MASKED (view), OK - masked via view', 'income: MASKED (view), OK - masked via view'],
  'people: a people_masked view without a policy row: MASKED (view)');
SELECT is((SELECT array_agg(column_name || ': ' || mask_status ORDER BY column_name) FROM r WHERE table_name = 'people_orig'),
  ARRAY['backup_email: UNMASKED', 'date_of_birth: UNMASKED', 'email: UNMASKED', 'income: UNMASKED'],
  'people_orig: no view of its own, UNMASKED');
SELECT is((SELECT count(*) FROM r WHERE table_name = 'contacts'), 0::bigint,
  'contacts: no column named as sensitive (the report goes by names)');
SELECT is((SELECT array_agg(table_name || '.' || column_name ORDER BY table_name) FROM r WHERE table_name LIKE 'visits%'),
  ARRAY['visits.client_ip'], 'visits: the partitioned table, not its partitions');
SELECT is((SELECT array_agg(DISTINCT schema_name) FROM r), ARRAY['disc'], 'schema_name is the schema asked for');

-- only tables the caller has some privilege on; the policies need no privilege
CREATE ROLE disc_reader;
GRANT USAGE ON SCHEMA disc TO disc_reader;
GRANT EXECUTE ON FUNCTION pgclone.masking_report(text) TO disc_reader;
GRANT SELECT (id) ON disc.employees TO disc_reader;
SET ROLE disc_reader;
SELECT is((SELECT array_agg(DISTINCT table_name) FROM pgclone.masking_report('disc')), ARRAY['employees'],
  'a role sees only the tables it has a privilege on (a column privilege counts)');
SELECT is((SELECT mask_status FROM pgclone.masking_report('disc') WHERE column_name = 'email'), 'MASKED (policy)',
  'and the policies of those tables, without any privilege on pgclone.masking_policies');
RESET ROLE;

SELECT is(pgtest.err($$SELECT * FROM pgclone.masking_report('no_such_schema')$$),
  '3F000: schema "no_such_schema" does not exist', 'masking_report: unknown schema: 3F000');
SELECT is(pgtest.err($$SELECT * FROM pgclone.masking_report(NULL)$$),
  '22004: argument schema of pgclone.masking_report must not be NULL', 'masking_report: NULL schema: 22004');

------------------------------------------------------------------ clean up
DELETE FROM pgclone.masking_policies WHERE schema_name = 'disc';
DROP SCHEMA disc CASCADE;
REVOKE ALL ON FUNCTION pgclone.masking_report(text) FROM disc_reader;
DROP ROLE disc_reader;
SELECT * FROM finish();
