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
