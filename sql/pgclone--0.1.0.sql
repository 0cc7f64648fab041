-- pgclone 0.1.0 install script.
-- The SQL surface follows ../shared/design/SQL_API.md; only the functions that
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
'clones table schema_name.table_name from the source server (conninfo) into the current database under the same name, with its indexes, constraints and triggers, and its rows unless include_data is false; waits for the agent job and returns a summary';

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
'clones table schema_name.table_name from the source server (conninfo) into the current database as target_table_name in the same schema (NULL: same name), adapting index and constraint names; waits for the agent job and returns a summary';

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
'clones table schema_name.table_name from the source server (conninfo) into the current database as target_table_name (NULL: same name) with an options JSON object (indexes, constraints, triggers, columns, where, conflict, parallel, consistent; NULL: no options; unknown keys are errors); waits for the agent job and returns a summary';

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
'clones table schema_name.table_name like pgclone.table(), as target_table_name (NULL: same name), with indexes, constraints and triggers each switched on or off by a boolean; waits for the agent job and returns a summary';

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
'clones schema schema_name from the source server (conninfo) into the current database: types, sequences, tables, indexes, constraints, views, materialized views, functions, triggers, policies, rules and comments in dependency order, with the rows unless include_data is false, all from one snapshot; returns a summary, or fails naming the object that could not be cloned (the target is then left as it was)';

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
'clones schema schema_name like pgclone.schema(conninfo, schema_name, include_data) with an options JSON object (indexes, constraints, triggers, matviews, tables, exclude_tables, conflict, parallel, consistent; unknown keys are errors)';

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
'clones schema schema_name like pgclone.schema(), with indexes, constraints and triggers each switched on or off by a boolean';

REVOKE ALL ON FUNCTION pgclone.schema_ex(text, text, boolean, boolean, boolean, boolean) FROM PUBLIC;

-- functions() ----------------------------------------------------------------

CREATE FUNCTION pgclone.functions(
    conninfo text,
    schema_name text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_functions'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.functions(text, text) IS
'clones only the functions, procedures and aggregates of schema schema_name (CREATE OR REPLACE; the schema is created if missing) in one transaction';

REVOKE ALL ON FUNCTION pgclone.functions(text, text) FROM PUBLIC;

-- database() / database_create() ---------------------------------------------

CREATE FUNCTION pgclone.database(
    conninfo text,
    include_data boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database(text, boolean) IS
'clones every user schema of the source database (conninfo) into the current database, with cross-schema foreign keys and large objects, from one snapshot; returns a summary';

REVOKE ALL ON FUNCTION pgclone.database(text, boolean) FROM PUBLIC;

CREATE FUNCTION pgclone.database(
    conninfo text,
    include_data boolean,
    options text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database(text, boolean, text) IS
'clones every user schema like pgclone.database(conninfo, include_data) with an options JSON object';

REVOKE ALL ON FUNCTION pgclone.database(text, boolean, text) FROM PUBLIC;

CREATE FUNCTION pgclone.database_create(
    conninfo text,
    target_dbname text,
    include_data boolean DEFAULT true)
RETURNS text
AS 'MODULE_PATHNAME', 'pgclone_database_create'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION pgclone.database_create(text, text, boolean) IS
'creates database target_dbname on this server if it is missing (the name is used as given, quoted), installs pgclone there and clones every user schema of the source into it; a database this call created is dropped again if the clone fails';

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
'like pgclone.database_create(conninfo, target_dbname, include_data) with an options JSON object';

REVOKE ALL ON FUNCTION pgclone.database_create(text, text, boolean, text) FROM PUBLIC;
