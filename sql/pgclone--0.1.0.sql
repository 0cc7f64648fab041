-- pgclone 0.1.0 install script.
-- The SQL surface is documented in doc/sql-api.md; only the functions that
-- are built are declared here. Every function is revoked from PUBLIC: a
-- superuser grants them to the roles that may clone.

\echo Use "CREATE EXTENSION pgclone" to load this file. \quit

-- The schema's names are visible to everyone; what may be executed is decided
-- per function (all revoked from PUBLIC below), so a superuser only has to
-- GRANT EXECUTE on the functions a role should use.
GRANT USAGE ON SCHEMA pgclone TO PUBLIC;

-- version() ------------------------------------------------------------------

CREATE FUNCTION pgclone.version()
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_version'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION pgclone.version() IS
'pgclone version of the installed extension library, as "pgclone X.Y.Z"; does not contact the agent';

REVOKE ALL ON FUNCTION pgclone.version() FROM PUBLIC;

-- agent_status() -------------------------------------------------------------

CREATE FUNCTION pgclone.agent_status()
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_agent_status'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.agent_status() IS
'status of the pgclone agent at pgclone.agent_endpoint as a JSON document (versions, uptime, workers, jobs by state); errors with SQLSTATE 08001 if no agent answers within pgclone.agent_timeout';

REVOKE ALL ON FUNCTION pgclone.agent_status() FROM PUBLIC;

-- table() --------------------------------------------------------------------
-- Only the 4-argument form carries a default, so no call is ambiguous.
-- Not STRICT: a NULL target_table_name means "same name", NULL options means
-- "no options"; a NULL conninfo, schema_name or table_name is an error (22004).

CREATE FUNCTION pgclone.table(
    conninfo text,
    schema_name text,
    table_name text,
    include_data boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.table(text, text, text, boolean) IS
'clones table schema_name.table_name from the source server (conninfo: a connection string, or the name of a server of the pgclone foreign-data wrapper) into the current database under the same name, with its indexes, constraints and triggers (a partitioned table with its whole partition tree), and its rows unless include_data is false; waits for the agent job and returns a summary; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.table(text, text, text, boolean) FROM PUBLIC;

CREATE FUNCTION pgclone.table(
    conninfo text,
    schema_name text,
    table_name text,
    include_data boolean,
    target_table_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.table(text, text, text, boolean, text) IS
'clones table schema_name.table_name from the source server (conninfo: a connection string, or the name of a server of the pgclone foreign-data wrapper) into the current database as target_table_name in the same schema (NULL: same name), adapting index and constraint names; waits for the agent job and returns a summary; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.table(text, text, text, boolean, text) FROM PUBLIC;

CREATE FUNCTION pgclone.table(
    conninfo text,
    schema_name text,
    table_name text,
    include_data boolean,
    target_table_name text,
    options text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.table(text, text, text, boolean, text, text) IS
'clones table schema_name.table_name from the source server (conninfo: a connection string, or the name of a server of the pgclone foreign-data wrapper) into the current database as target_table_name (NULL: same name) with an options JSON object (indexes, constraints, triggers, columns, where, exclude_kinds, conflict, parallel, consistent, maintenance_work_mem, lock_timeout, privileges, dependencies, owner, mask; NULL: no options; unknown keys are errors); waits for the agent job and returns a summary; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.table(text, text, text, boolean, text, text) FROM PUBLIC;

-- table_ex() -----------------------------------------------------------------

CREATE FUNCTION pgclone.table_ex(
    conninfo text,
    schema_name text,
    table_name text,
    include_data boolean,
    target_table_name text,
    include_indexes boolean DEFAULT true,
    include_constraints boolean DEFAULT true,
    include_triggers boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table_ex'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.table_ex(text, text, text, boolean, text, boolean, boolean, boolean) IS
'clones table schema_name.table_name like pgclone.table(), as target_table_name (NULL: same name), with indexes, constraints and triggers each switched on or off by a boolean; waits for the agent job and returns a summary; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.table_ex(text, text, text, boolean, text, boolean, boolean, boolean) FROM PUBLIC;

-- schema() / schema_ex() -------------------------------------------------------
-- Conflicts are resolved per schema: one that exists on the target and holds
-- objects follows the "conflict" option (error, skip, replace, rename).

CREATE FUNCTION pgclone.schema(
    conninfo text,
    schema_name text,
    include_data boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_schema'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.schema(text, text, boolean) IS
'clones schema schema_name from the source server (conninfo: a connection string, or the name of a server of the pgclone foreign-data wrapper) into the current database: types, sequences, tables (typed tables too), foreign tables (never copied) with the foreign servers, wrappers and user mappings they need that the target lacks, indexes, constraints, views, materialized views, functions, triggers, policies, rules, privileges and comments in dependency order, with the rows unless include_data is false, all from one snapshot; returns a summary, or fails naming the object that could not be cloned (the target is then left as it was); runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.schema(text, text, boolean) FROM PUBLIC;

CREATE FUNCTION pgclone.schema(
    conninfo text,
    schema_name text,
    include_data boolean,
    options text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_schema'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.schema(text, text, boolean, text) IS
'clones schema schema_name like pgclone.schema(conninfo, schema_name, include_data) with an options JSON object (indexes, constraints, triggers, matviews, tables and exclude_tables as arrays of RE2 patterns matching a whole table name or schema.table, exclude_kinds, conflict, parallel, consistent, maintenance_work_mem, lock_timeout, privileges, dependencies, owner, masks; unknown keys are errors; a kind in scope that is never cloned, such as an event trigger running a function of the schema, fails up front unless exclude_kinds names it); runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.schema(text, text, boolean, text) FROM PUBLIC;

CREATE FUNCTION pgclone.schema_ex(
    conninfo text,
    schema_name text,
    include_data boolean,
    include_indexes boolean DEFAULT true,
    include_constraints boolean DEFAULT true,
    include_triggers boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_schema_ex'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.schema_ex(text, text, boolean, boolean, boolean, boolean) IS
'clones schema schema_name like pgclone.schema(), with indexes, constraints and triggers each switched on or off by a boolean; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.schema_ex(text, text, boolean, boolean, boolean, boolean) FROM PUBLIC;

-- functions() ----------------------------------------------------------------

CREATE FUNCTION pgclone.functions(
    conninfo text,
    schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_functions'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.functions(text, text) IS
'clones only the functions, procedures and aggregates of schema schema_name (CREATE OR REPLACE; the schema is created if missing) in one transaction; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.functions(text, text) FROM PUBLIC;

-- database() / database_create() ---------------------------------------------

CREATE FUNCTION pgclone.database(
    conninfo text,
    include_data boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database(text, boolean) IS
'clones every user schema of the source database (conninfo: a connection string, or the name of a server of the pgclone foreign-data wrapper) into the current database, with cross-schema foreign keys, large objects, every foreign-data wrapper, foreign server and user mapping (passwords only for a superuser) and the database''s own objects (its ACL and settings, its roles'' settings in it, privileges of system catalog objects, default privileges, publications, event triggers; a source database with subscriptions fails up front unless the option exclude_kinds names them), from one snapshot; returns a summary; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.database(text, boolean) FROM PUBLIC;

CREATE FUNCTION pgclone.database(
    conninfo text,
    include_data boolean,
    options text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database(text, boolean, text) IS
'clones every user schema like pgclone.database(conninfo, include_data) with an options JSON object; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.database(text, boolean, text) FROM PUBLIC;

CREATE FUNCTION pgclone.database_create(
    conninfo text,
    target_dbname text,
    include_data boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database_create'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database_create(text, text, boolean) IS
'creates database target_dbname on this server if it is missing (the name is used as given, quoted), installs pgclone there and clones every user schema of the source into it; a database this call created is dropped again if the clone fails; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.database_create(text, text, boolean) FROM PUBLIC;

CREATE FUNCTION pgclone.database_create(
    conninfo text,
    target_dbname text,
    include_data boolean,
    options text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database_create'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database_create(text, text, boolean, text) IS
'like pgclone.database_create(conninfo, target_dbname, include_data) with an options JSON object; runs on the agent''s own connections: it commits on its own, does not see the calling transaction''s uncommitted changes, and fails with 40P01 instead of waiting for a lock the calling transaction holds';

REVOKE ALL ON FUNCTION pgclone.database_create(text, text, boolean, text) FROM PUBLIC;

-- table_async() / schema_async() / database_async() ----------------------------
-- Same arguments, checks and options as the synchronous functions; the job is
-- submitted and its id returned at once. Watch it with progress(), jobs(),
-- jobs_view or wait().

CREATE FUNCTION pgclone.table_async(
    conninfo text,
    schema_name text,
    table_name text,
    include_data boolean DEFAULT true,
    target_table_name text DEFAULT NULL,
    options text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_table_async'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.table_async(text, text, text, boolean, text, text) IS
'starts cloning table schema_name.table_name like pgclone.table() (target_table_name NULL: same name; options JSON as for pgclone.table, checked before the job is submitted) and returns the agent''s job id at once without waiting; runs on the agent''s own connections: it commits on its own and does not see the calling transaction''s uncommitted changes; a lock the calling transaction still holds is waited for like any other session''s (its phase says so; the lock_timeout option bounds it)';

REVOKE ALL ON FUNCTION pgclone.table_async(text, text, text, boolean, text, text) FROM PUBLIC;

CREATE FUNCTION pgclone.schema_async(
    conninfo text,
    schema_name text,
    include_data boolean DEFAULT true,
    options text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_schema_async'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.schema_async(text, text, boolean, text) IS
'starts cloning schema schema_name like pgclone.schema() (options JSON as for pgclone.schema; "parallel": N runs N workers) and returns the agent''s job id at once without waiting; runs on the agent''s own connections: it commits on its own and does not see the calling transaction''s uncommitted changes; a lock the calling transaction still holds is waited for like any other session''s (its phase says so; the lock_timeout option bounds it)';

REVOKE ALL ON FUNCTION pgclone.schema_async(text, text, boolean, text) FROM PUBLIC;

CREATE FUNCTION pgclone.database_async(
    conninfo text,
    include_data boolean DEFAULT true,
    options text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_database_async'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database_async(text, boolean, text) IS
'starts cloning every user schema of the source database like pgclone.database() and returns the agent''s job id at once without waiting; runs on the agent''s own connections: it commits on its own and does not see the calling transaction''s uncommitted changes; a lock the calling transaction still holds is waited for like any other session''s (its phase says so; the lock_timeout option bounds it)';

REVOKE ALL ON FUNCTION pgclone.database_async(text, boolean, text) FROM PUBLIC;

-- Jobs and progress -------------------------------------------------------------
-- Answered from the agent's state. A role sees (and may cancel, resume, wait
-- for, clear) only the jobs it started; a superuser sees every job. The source
-- connection string is shown with its password masked.

CREATE FUNCTION pgclone.progress(job_id integer)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_progress'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.progress(integer) IS
'progress of one job as a JSON object: job_id, status, phase, tables_completed, tables_total, rows_copied, bytes_copied, bytes_total, pct_complete, current_table, elapsed_ms, op_type, schema_name, table_name, owner, source (password shown as ********), and resumed_from for a job started by resume(), and error/error_sqlstate when it failed; SQLSTATE 42704 if no such job is visible to the caller';

REVOKE ALL ON FUNCTION pgclone.progress(integer) FROM PUBLIC;

CREATE FUNCTION pgclone.jobs()
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_jobs'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.jobs() IS
'every job visible to the caller (its own; all for a superuser) as a JSON array of pgclone.progress() objects';

REVOKE ALL ON FUNCTION pgclone.jobs() FROM PUBLIC;

CREATE FUNCTION pgclone.progress_detail(
    OUT job_id integer,
    OUT status text,
    OUT op_type text,
    OUT schema_name text,
    OUT table_name text,
    OUT current_phase text,
    OUT current_table text,
    OUT tables_total bigint,
    OUT tables_completed bigint,
    OUT rows_copied bigint,
    OUT bytes_copied bigint,
    OUT elapsed_ms bigint,
    OUT start_time timestamptz,
    OUT end_time timestamptz,
    OUT error_message text,
    OUT pct_complete float8,
    OUT progress_bar text,
    OUT elapsed_time text,
    OUT hosts text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pgclone_progress_detail'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;

COMMENT ON FUNCTION pgclone.progress_detail() IS
'one row per job visible to the caller (its own; all for a superuser), from one request to the agent: status, operation, schema and table, phase, current table, table/row/byte counts, start time (the submission time while the job is pending) and end time (NULL until it ends), error, pct_complete (by data volume), a 20-cell progress bar, the elapsed time as HH:MM:SS, and hosts: where its tables were loaded when the agent spreads work over worker agents, e.g. "w1: 12 tables, w2: 11 tables" (NULL otherwise)';

REVOKE ALL ON FUNCTION pgclone.progress_detail() FROM PUBLIC;

CREATE VIEW pgclone.jobs_view AS
    SELECT * FROM pgclone.progress_detail();

COMMENT ON VIEW pgclone.jobs_view IS
'the jobs visible to the querying role, as pgclone.progress_detail() returns them. SELECT is granted to PUBLIC because access is governed by EXECUTE on pgclone.progress_detail(), which a view does not bypass (functions in a view run with the privileges of the querying role): grant EXECUTE on that function to let a role use this view';

REVOKE ALL ON pgclone.jobs_view FROM PUBLIC;
GRANT SELECT ON pgclone.jobs_view TO PUBLIC;

CREATE FUNCTION pgclone.cancel(job_id integer)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_cancel'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.cancel(integer) IS
'asks the agent to cancel a job (its workers stop and no half-loaded table is kept) and returns the agent''s answer, e.g. "cancel requested for job 7" or "job 7 has already finished"; a running mask_in_place job is cancelled by pg_cancel_backend of its backend from this session (same database only, 55000 otherwise; PostgreSQL''s own permission rules: same role or pg_signal_backend, 42501 otherwise); SQLSTATE 42704 if no such job is visible to the caller';

REVOKE ALL ON FUNCTION pgclone.cancel(integer) FROM PUBLIC;

CREATE FUNCTION pgclone.resume(job_id integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_resume'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.resume(integer) IS
'starts a new job that continues a failed, cancelled or interrupted one (finished tables are not copied again, a partly loaded table is reloaded from scratch) and returns the new job''s id; SQLSTATE 42704 if no such job is visible to the caller, 55000 if it cannot be resumed (still running or completed, or already resumed by another job)';

REVOKE ALL ON FUNCTION pgclone.resume(integer) FROM PUBLIC;

CREATE FUNCTION pgclone.clear_jobs()
RETURNS integer
AS 'MODULE_PATHNAME', 'pgclone_clear_jobs'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.clear_jobs() IS
'makes the agent forget the caller''s finished jobs (every role''s for a superuser) and returns how many it forgot: completed, failed and cancelled jobs, and interrupted jobs another job resumed; pending, running and unresumed interrupted jobs are kept';

REVOKE ALL ON FUNCTION pgclone.clear_jobs() FROM PUBLIC;

CREATE FUNCTION pgclone.wait(job_id integer, timeout interval DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_wait'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.wait(integer, interval) IS
'waits until the job ends and returns its final status (completed, failed, cancelled; a failed job is not an error here), re-raising the job''s notices and warnings; with a timeout, returns the job''s status at that point (e.g. running) if it has not ended by then. Cancelling the wait (pg_cancel_backend, statement_timeout) stops waiting but leaves the job running';

REVOKE ALL ON FUNCTION pgclone.wait(integer, interval) FROM PUBLIC;

-- The agent's side of the trust model ------------------------------------------

CREATE FUNCTION pgclone.assume_role(role_oid oid)
RETURNS void
AS 'MODULE_PATHNAME', 'pgclone_assume_role'
LANGUAGE C STRICT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.assume_role(oid) IS
'used by pgclone-agent on its own sessions: makes the session act as the given role (the verified caller) for the rest of its life, like SET ROLE but irrevocable: SET ROLE, RESET ROLE and SET SESSION AUTHORIZATION fail afterwards, so code of the cloned objects that runs during the clone (checks, triggers, index expressions) can never regain the agent login''s rights. Only roles the session user may SET ROLE to are accepted; SQLSTATE 42501 otherwise, and when called twice or inside a security-definer function';

REVOKE ALL ON FUNCTION pgclone.assume_role(oid) FROM PUBLIC;

-- Named sources -----------------------------------------------------------------
-- A foreign server of this wrapper names a source; a user mapping holds the
-- role's credentials for it, readable only by that role and superusers. Any
-- clone function takes the server's name where it takes a connection string.

CREATE FUNCTION pgclone.fdw_validator(options text[], catalog oid)
RETURNS void
AS 'MODULE_PATHNAME', 'pgclone_fdw_validator'
LANGUAGE C STRICT;

COMMENT ON FUNCTION pgclone.fdw_validator(text[], oid) IS
'checks the options of the pgclone foreign-data wrapper''s servers (libpq connection keywords such as host, port, dbname, sslmode; no user or password) and user mappings (user, password, sslpassword); SQLSTATE HV00D naming an unknown or misplaced option';

-- PostgreSQL calls a validator without checking EXECUTE: nobody needs it.
REVOKE ALL ON FUNCTION pgclone.fdw_validator(text[], oid) FROM PUBLIC;

CREATE FOREIGN DATA WRAPPER pgclone VALIDATOR pgclone.fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER pgclone IS
'named sources for pgclone: CREATE SERVER prod FOREIGN DATA WRAPPER pgclone OPTIONS (host ''…'', dbname ''…''); CREATE USER MAPPING FOR alice SERVER prod OPTIONS (user ''…'', password ''…''); then pgclone.schema(''prod'', ''sales''). The caller needs USAGE on the server';

-- Masking policies --------------------------------------------------------------
-- One row per table with a dynamic masking view (create_masking_policy). Kept
-- by name, not OID, so that a dump and restore brings the policies back with
-- the tables; pg_extension_config_dump makes pg_dump include the rows.

CREATE TABLE pgclone.masking_policies (
    schema_name     name NOT NULL,
    table_name      name NOT NULL,
    view_name       name NOT NULL,
    masks           jsonb NOT NULL,
    privileged_role name NOT NULL,
    created_by      name NOT NULL DEFAULT current_user,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- What create_masking_policy changed, so that drop_masking_policy undoes
    -- exactly that and no more: PUBLIC's table-level SELECT (taken only if
    -- PUBLIC had it), PUBLIC's column-level SELECT on masked columns, and a
    -- SELECT granted to privileged_role (only if it had none from the owner).
    public_select_revoked        boolean NOT NULL DEFAULT false,
    public_column_select_revoked name[] NOT NULL DEFAULT '{}',
    role_select_granted          boolean NOT NULL DEFAULT false,
    PRIMARY KEY (schema_name, table_name)
);

COMMENT ON TABLE pgclone.masking_policies IS
'the dynamic masking policies of this database (create_masking_policy): the masked table, its view, the masks as {"column": rule, ...} and the role that sees real values; included in pg_dump, read by masking_report() and by clones with "masks": {"from_policies": true}';

SELECT pg_catalog.pg_extension_config_dump('pgclone.masking_policies', '');

-- Finding sensitive columns ------------------------------------------------------

CREATE FUNCTION pgclone.discover_sensitive(conninfo text, schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_discover_sensitive'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.discover_sensitive(text, text) IS
'finds the columns of the source schema''s tables that hold sensitive data, by their names and by a bounded sample of their values (at most 1000 non-null values per column, each cut to 256 characters, read in a READ ONLY transaction with a 15 s limit per read): e-mail addresses, phone numbers, card numbers that pass the Luhn check, national ids, IP addresses, people''s names, dates of birth, salaries, addresses, secrets. Returns JSON {"table": {"column": rule}} that the "masks" option takes unchanged: every rule fits its column (type, length, NOT NULL; only "hash" on keys; foreign key columns take the mask of the key they reference). Runs as a job of the agent (op_type discover_sensitive in jobs_view); sampled values are never stored, logged or shown. SQLSTATE 3F000 if the source has no such schema';

REVOKE ALL ON FUNCTION pgclone.discover_sensitive(text, text) FROM PUBLIC;

-- Referentially consistent samples ------------------------------------------------

CREATE FUNCTION pgclone.table_sample(conninfo text, schema_name text, table_name text, "rows" bigint,
                                     options text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_table_sample'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.table_sample(text, text, text, bigint, text) IS
'clones a referentially consistent sample: up to "rows" rows of the source table (NULL: the options say which, with "percent" or "where"), plus every row they reference through foreign keys, transitively and across schemas (cycles and nullable references included), so that every foreign key holds on the target. Creates the table and every table those foreign keys reach, in their schemas (with the schemas'' other objects, as schema() does; conflicts as for schema()). Options: those of schema(), plus "percent", "where", "seed" (integer, default 0: the same seed on the same data gives the same sample), "method" ("bernoulli", the default, or "system": whole pages, faster on big tables but clustered), "include_children" (true or a number: also up to that many rows, default 1000, of each table that references sampled rows, with what they reference). The rows are chosen on the source inside the clone''s snapshot and copied with COPY. Returns "OK: sampled table s.t: …"';

REVOKE ALL ON FUNCTION pgclone.table_sample(text, text, text, bigint, text) FROM PUBLIC;

CREATE FUNCTION pgclone.schema_sample(conninfo text, schema_name text, options text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_schema_sample'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.schema_sample(text, text, text) IS
'clones the schema as schema() does, with a referentially consistent sample of its rows: "rows" or "percent" (one value for every table, or {"table": n}), or "where" ({"table": "condition"}) choose each table''s starting rows; every row they reference comes along, transitively and across schemas (tables of other schemas are created in their schemas), so that every foreign key holds. Options: those of schema(), plus "seed", "method" and "include_children" as for table_sample(). Returns "OK: sampled schema s: …"';

REVOKE ALL ON FUNCTION pgclone.schema_sample(text, text, text) FROM PUBLIC;

-- Schema drift -----------------------------------------------------------------------

CREATE FUNCTION pgclone.diff(conninfo text, schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_diff'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.diff(text, text) IS
'compares the source schema with the schema of that name in this database, with the catalog readers a clone uses, each side in one REPEATABLE READ READ ONLY transaction, changing nothing; returns the JSON drift report {schema, in_sync, diff_count, target_schema_exists, summary{<category>_only_in_source, _only_in_target, _modified}, tables{only_in_source, only_in_target, modified[{name, columns_only_in_source, columns_only_in_target, columns_drift, changes}]}, indexes, constraints, triggers, views, sequences, functions, types, policies, privileges (each {only_in_source, only_in_target, modified[{name, table, source_def, target_def, changes[{what, source, target}]}]})}. Objects are matched by name (functions by signature, per-table objects by table and name); each difference counts once, and objects of a table or column present on one side only are not reported again. Owners, grantors, comments, OIDs and sequence positions are not compared. Runs as a job of the agent (op_type diff in jobs_view). SQLSTATE 3F000 if the source has no such schema; a schema missing here is no error (everything is only in the source)';

REVOKE ALL ON FUNCTION pgclone.diff(text, text) FROM PUBLIC;

-- Checking before a clone -------------------------------------------------------------

CREATE FUNCTION pgclone.preflight(conninfo text, schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_preflight'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.preflight(text, text) IS
'checks whether pgclone.schema(conninfo, schema_name) would work, without changing anything on either side (each side is read in one REPEATABLE READ READ ONLY transaction; no lock is taken). Returns JSON {schema, ready, summary{errors, warnings, info, checks_run}, errors[], warnings[], info[], checks{name: {status, message, ...}}} with status ok, info, warning or error per check: source_connection, versions, encoding, source_schema, source_privileges, locks, extensions, collations, roles, conflicts, target_privileges, disk_space; ready is true when no check is an error. An unreachable source or a missing source schema is an error check in the report, not an SQL error. Runs as a job of the agent (op_type preflight in jobs_view); passwords are never shown';

REVOKE ALL ON FUNCTION pgclone.preflight(text, text) FROM PUBLIC;

-- verify() --------------------------------------------------------------------------
-- A job of the agent, like the clones. Not STRICT: a NULL conninfo is an
-- error (22004); verify(conninfo, NULL, options) is every user schema.

CREATE FUNCTION pgclone.verify(conninfo text)
RETURNS TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text)
AS 'MODULE_PATHNAME', 'pgclone_verify'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION pgclone.verify(conninfo text, schema_name text)
RETURNS TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text)
AS 'MODULE_PATHNAME', 'pgclone_verify'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION pgclone.verify(conninfo text, schema_name text, options text)
RETURNS TABLE(schema_name text, table_name text, source_rows bigint, target_rows bigint, match text,
              detail text)
AS 'MODULE_PATHNAME', 'pgclone_verify'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.verify(text) IS
'verify(conninfo, schema_name) for every user schema of the source (the schemas database() clones)';

COMMENT ON FUNCTION pgclone.verify(text, text) IS
'compares the tables of the source schema with those of this database, exactly: per table the row count (count(*)) and a content checksum (the exact sum over the rows of a 64-bit row hash: hash_record_extended(ROW(columns), 0), each column by value where equal values of its type are the same value (integers, text, timestamps, uuid, ...) and by its text otherwise (numeric, float, interval, jsonb, ...), so that 1.5 and 1.50 differ; independent of row order), each side read in one snapshot (the source''s exported by the job''s keeper and imported by its workers, as in a clone; the same on this database), with both sides rendering row text the same way (DateStyle, IntervalStyle, TimeZone, extra_float_digits, bytea_output, lc_monetary pinned). Ordinary tables and partitions (FROM ONLY); partitioned parents, views, foreign tables and materialized views are not compared. match is ✓, ✗ (different count or checksum, or a column missing here), ✗ (missing) (not in this database; target_rows NULL) or ✗ (not on source) (only in this database; source_rows NULL). Runs as a job of the agent (op_type verify in jobs_view; cancel with pgclone.cancel or pg_cancel_backend), 4 workers. SQLSTATE 3F000 if the source has no such schema';

COMMENT ON FUNCTION pgclone.verify(text, text, text) IS
'verify(conninfo, schema_name) with options, and a sixth column detail (NULL for a matching table, else JSON {"reason": ...} and, with "detail", the differing rows: {"key_columns": [...], "differing_rows": [{"key": {column: value}, "difference": "changed" | "missing on target" | "missing on source"}], "more_differing_rows": true}). A NULL schema_name is every user schema. Options (JSON, unknown keys and wrong types are SQLSTATE 22023): "mode" ("checksum" default | "count": counts only), "tables" / "exclude_tables" (anchored regular expressions, as in schema clones), "columns_excluded" ({"table" | "schema.table": ["column", ...]}: left out of the checksum, e.g. masked columns), "detail" (true = up to 10 differing keys, or a number 1-1000; rows are told apart by the primary key or a unique key over NOT NULL columns), "parallel" (workers, 1-64, default 4)';

REVOKE ALL ON FUNCTION pgclone.verify(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgclone.verify(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgclone.verify(text, text, text) FROM PUBLIC;

-- Roles ----------------------------------------------------------------------------

CREATE FUNCTION pgclone.clone_roles(conninfo text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_clone_roles'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION pgclone.clone_roles(conninfo text, role_names text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_clone_roles'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.clone_roles(text) IS
'copies the source cluster''s roles to this cluster, acting as the calling role: attributes (LOGIN, INHERIT, CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS, SUPERUSER, CONNECTION LIMIT, VALID UNTIL), comments, memberships with their ADMIN OPTION, and per-role settings (ALTER ROLE ... SET; per-database ones for databases this cluster has). Password hashes only when the caller is a superuser and the source session can read pg_authid; they are never shown in results, notices, errors, logs or jobs_view. Roles that exist here are altered, not duplicated; pg_* roles and the bootstrap superuser are left alone (memberships in pg_* roles are granted). All in one transaction: a role the caller may not create or alter (SUPERUSER, REPLICATION, BYPASSRLS need a superuser; others CREATEROLE) is SQLSTATE 42501 before anything changes; a membership in a role neither cloned nor present here is 42704. Returns OK: X roles created, Y roles updated, Z grants applied';

COMMENT ON FUNCTION pgclone.clone_roles(text, text) IS
'clone_roles(conninfo) restricted to role_names, comma-separated and case-sensitive (a name holding a comma in double quotes): SQLSTATE 42704 up front for a name the source does not have. Memberships between the named roles and other roles are copied when the other role is cloned too or exists here';

REVOKE ALL ON FUNCTION pgclone.clone_roles(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgclone.clone_roles(text, text) FROM PUBLIC;

CREATE FUNCTION pgclone.masking_report(schema text)
RETURNS TABLE(schema_name text, table_name text, column_name text, sensitivity text,
              mask_status text, recommendation text)
AS 'MODULE_PATHNAME', 'pgclone_masking_report'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.masking_report(text) IS
'one row per column of the schema''s tables (in this database; partitions left out) whose name marks it as sensitive, for the tables the caller has any privilege on: sensitivity (email, phone, person_name, national_id, card_number, money, ip_address, birth_date, address, secret), mask_status (MASKED (policy) when a row of pgclone.masking_policies for the table masks the column, MASKED (view) when a view <table>_masked exists and no policy row is recorded for the table, else UNMASKED) and recommendation (OK - masked via policy, OK - masked via view, or Apply mask strategy: <rule> with a rule the column can hold). Local: no agent call; pgclone.masking_policies is read with its owner''s rights, so the caller needs no privilege on it. SQLSTATE 3F000 if the schema does not exist';

REVOKE ALL ON FUNCTION pgclone.masking_report(text) FROM PUBLIC;

-- Readable by everyone: it says which tables are masked and how, which the
-- views' definitions in pg_views show anyway. Written only by the functions
-- below, as the extension's owner (see extension/masking_policy.cpp): no
-- caller gets INSERT, UPDATE or DELETE on it, and there is no SQL-callable
-- SECURITY DEFINER writer that could be misused.
GRANT SELECT ON pgclone.masking_policies TO PUBLIC;

-- Masking in the database ---------------------------------------------------------
-- These run in the caller's session and transaction, as the caller (not
-- SECURITY DEFINER), without the agent: they see the caller's uncommitted
-- changes, roll back with it, and cannot deadlock with the caller's locks.
-- The caller must own the table (or be a member of its owner, or a
-- superuser): 42501 otherwise. Masks are the JSON of the "mask" option:
-- {"column": "strategy" | {"type": "strategy", parameters}}; in the database
-- "hash" is md5 (no key exists here) and "pseudonym" is refused. Any error
-- leaves everything as it was.

CREATE FUNCTION pgclone.create_masking_policy(
    schema_name text,
    table_name text,
    mask_json text,
    privileged_role text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_create_masking_policy'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.create_masking_policy(text, text, text, text) IS
'creates view schema_name.<table_name>_masked (security_barrier, owned by the table''s owner) that shows real values to members of privileged_role (pg_has_role(CURRENT_USER, role, ''MEMBER''), decided per query) and masked values to everyone else; revokes SELECT on the table from PUBLIC (if PUBLIC had it, also column grants on masked columns), grants SELECT on the view to PUBLIC and on the table to privileged_role, and records exactly what it changed in pgclone.masking_policies; a second call on the same table replaces the policy. Strategies email, name, phone, partial, hash (md5), null, random_int, constant, generalize; noise, shuffle and pseudonym are refused (22023), as is any mask a column cannot hold. 42P01 unknown table, 42809 not a table, 42501 not the owner, 42704 unknown role, 42P07 view name taken, 0A000 row level security, 55000 PUBLIC''s SELECT granted by another role';

REVOKE ALL ON FUNCTION pgclone.create_masking_policy(text, text, text, text) FROM PUBLIC;

CREATE FUNCTION pgclone.drop_masking_policy(
    schema_name text,
    table_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_drop_masking_policy'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.drop_masking_policy(text, text) IS
'drops the masking view of schema_name.table_name and undoes exactly the privilege changes its policy recorded (SELECT given back to PUBLIC only if the policy took it, revoked from privileged_role only if the policy granted it), then forgets the policy; 42704 if the table has no policy, 42501 if the caller does not own the table';

REVOKE ALL ON FUNCTION pgclone.drop_masking_policy(text, text) FROM PUBLIC;

CREATE FUNCTION pgclone.mask_in_place(
    schema_name text,
    table_name text,
    mask_json text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_mask_in_place'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.mask_in_place(text, text, text) IS
'masks columns of a local table (with its partitions and inheritance children) by rewriting it: one ALTER TABLE ... ALTER COLUMN ... TYPE <same type> USING <mask> for all masked columns, under an ACCESS EXCLUSIVE lock, so no unmasked value is left in the table''s heap, TOAST or indexes once the transaction commits (WAL, backups and freed disk blocks are not scrubbed); returns ''OK: masked N rows in s.t (M columns)''. It runs in the caller''s session and transaction, not in the agent; once the up-front checks passed it is registered with the agent as a job with op_type mask_in_place (a NOTICE names its id), so pgclone.jobs_view lists it as running, then completed (rows_copied = rows masked), failed or cancelled with the error; "completed" means the rewrite finished in the caller''s transaction, which may still roll back. pgclone.cancel(id), pg_cancel_backend or statement_timeout stops it with the table unchanged (57014); resume() refuses it (55000). If the agent does not answer within 2 s a WARNING says the call is not listed and it goes on all the same; a backend that exits reports the job failed, one killed outright (server crash) leaves it running until its pid registers another job or the agent restarts (then interrupted). Masks that break a column''s type, length, NOT NULL, a UNIQUE/PRIMARY KEY, or sit on a foreign key, a generated column or a column a view uses are refused up front (22023); shuffle, pseudonym refused; 42809 for views and foreign tables, 42501 if the caller does not own the table';

REVOKE ALL ON FUNCTION pgclone.mask_in_place(text, text, text) FROM PUBLIC;
