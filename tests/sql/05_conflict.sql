-- conflict option: error (default), skip, replace, rename.
-- Source: conf.t (tests/fixtures/30_options.sql): id PK, v NOT NULL, extra;
-- 10 rows; constraint t_pkey, index t_v_idx.
-- Each mode gets its own pre-existing target table (old definition, 3 rows).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS conf CASCADE;
CREATE SCHEMA conf;
CREATE TABLE conf.t_default (id integer CONSTRAINT t_default_pkey PRIMARY KEY, old_col text);
CREATE TABLE conf.t_err (id integer CONSTRAINT t_err_pkey PRIMARY KEY, old_col text);
CREATE TABLE conf.t_skip (id integer CONSTRAINT t_skip_pkey PRIMARY KEY, old_col text);
CREATE TABLE conf.t_repl (id integer CONSTRAINT t_repl_pkey PRIMARY KEY, old_col text);
CREATE TABLE conf.t_ren (id integer CONSTRAINT t_ren_pkey PRIMARY KEY, old_col text);
CREATE INDEX t_ren_v_idx ON conf.t_ren (old_col);
CREATE INDEX t_ren_old_col_idx ON conf.t_ren (old_col, id);
INSERT INTO conf.t_default SELECT i, 'old' || i FROM generate_series(1, 3) i;
INSERT INTO conf.t_err SELECT i, 'old' || i FROM generate_series(1, 3) i;
INSERT INTO conf.t_skip SELECT i, 'old' || i FROM generate_series(1, 3) i;
INSERT INTO conf.t_repl SELECT i, 'old' || i FROM generate_series(1, 3) i;
INSERT INTO conf.t_ren SELECT i, 'old' || i FROM generate_series(1, 3) i;
SELECT plan(26);

-- default = error
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'conf', 't', true, 't_default')$$),
  '^42P07: .*t_default', 'no conflict option: 42P07 naming the existing table');
SELECT columns_are('conf', 't_default', ARRAY['id', 'old_col'], 'default: target definition unchanged');
SELECT is((SELECT count(*) FROM conf.t_default), 3::bigint, 'default: target rows unchanged');

-- error
SELECT matches(pgtest.err($$SELECT pgclone.table(pgtest.src(), 'conf', 't', true, 't_err', '{"conflict": "error"}')$$),
  '^42P07: .*t_err', 'conflict=error: 42P07 naming the existing table');
SELECT columns_are('conf', 't_err', ARRAY['id', 'old_col'], 'error: target definition unchanged');
SELECT results_eq('SELECT id, old_col FROM conf.t_err ORDER BY id',
  $$VALUES (1, 'old1'), (2, 'old2'), (3, 'old3')$$, 'error: target rows unchanged');

-- skip
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'conf', 't', true, 't_skip', '{"conflict": "skip"}')$$),
  '^SKIPPED', 'conflict=skip says SKIPPED');
SELECT columns_are('conf', 't_skip', ARRAY['id', 'old_col'], 'skip: target definition unchanged');
SELECT is((SELECT count(*) FROM conf.t_skip), 3::bigint, 'skip: target rows unchanged');
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'conf', 't', true, 't_skip_new', '{"conflict": "skip"}')$$),
  '^OK:.*\m10 rows\M', 'conflict=skip clones normally when the target does not exist');

-- replace
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'conf', 't', true, 't_repl', '{"conflict": "replace"}')$$),
  '^OK:.*\m10 rows\M', 'conflict=replace clones over the existing table');
SELECT columns_are('conf', 't_repl', ARRAY['id', 'v', 'extra'], 'replace: new definition');
SELECT results_eq('SELECT id, v, extra FROM conf.t_repl ORDER BY id',
  $$SELECT i, 'v' || i, i * 10 FROM generate_series(1, 10) i$$, 'replace: new data only');
SELECT col_is_pk('conf', 't_repl', 'id', 'replace: primary key present');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'conf'::regnamespace AND relname LIKE 't_repl%' AND relkind = 'r'),
  1::bigint, 'replace: no leftover copy of the old table');

-- rename
SELECT matches(pgtest.try($$SELECT pgclone.table(pgtest.src(), 'conf', 't', true, 't_ren', '{"conflict": "rename"}')$$),
  '^OK:.*\m10 rows\M', 'conflict=rename clones after moving the old table aside');
SELECT has_table('conf', 't_ren_old', 'rename: old table is now t_ren_old');
SELECT columns_are('conf', 't_ren_old', ARRAY['id', 'old_col'], 'rename: t_ren_old keeps its definition');
SELECT results_eq('SELECT id, old_col FROM conf.t_ren_old ORDER BY id',
  $$VALUES (1, 'old1'), (2, 'old2'), (3, 'old3')$$, 'rename: t_ren_old keeps its rows');
SELECT columns_are('conf', 't_ren', ARRAY['id', 'v', 'extra'], 'rename: t_ren has the new definition');
SELECT is((SELECT count(*) FROM conf.t_ren), 10::bigint, 'rename: t_ren has the new rows');
SELECT col_is_pk('conf', 't_ren', 'id', 'rename: new table has its primary key');
SELECT col_is_pk('conf', 't_ren_old', 'id', 'rename: old table keeps its primary key');
SELECT is(cardinality(pgtest.index_names('conf.t_ren')), 2, 'rename: new table has both indexes');
SELECT is(cardinality(pgtest.index_names('conf.t_ren_old')), 3, 'rename: old table keeps its three indexes');
SELECT ok(NOT (pgtest.index_names('conf.t_ren_old') && ARRAY['t_ren_pkey', 't_ren_v_idx']),
  'rename: the old table''s index names moved aside (no t_ren_pkey/t_ren_v_idx left on it)');

DROP SCHEMA conf CASCADE;
SELECT * FROM finish();
