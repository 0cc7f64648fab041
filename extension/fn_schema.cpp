// PostgreSQL frame: pgclone.schema(), schema_ex(), functions(), database(),
// database_create(), schema_async() and database_async().
#include "pg_headers.h"

#include "fn_args.h"

namespace pgclone::extension {
namespace {

Datum run_multi_clone(const char* operation, const char* conninfo, const char* schema,
                      const char* target_database, bool include_data, const char* options,
                      bool async = false) {
  CloneRequestFields fields{};
  fields.operation = operation;
  fields.source_conninfo = conninfo;
  fields.schema = schema;
  fields.target_database = target_database;
  fields.include_data = include_data;
  fields.options_json = options;
  return async ? run_clone_async(fields) : run_clone(fields);
}

// schema() and schema_async() take the same arguments.
Datum schema_clone(FunctionCallInfo fcinfo, bool async) {
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const char* schema = required_identifier(fcinfo, 1, "schema_name");
  const bool include_data = required_bool(fcinfo, 2, "include_data");
  return run_multi_clone(kOperationSchema, conninfo, schema, nullptr, include_data, optional_text(fcinfo, 3),
                         async);
}

// database() and database_async() take the same arguments.
Datum database_clone(FunctionCallInfo fcinfo, bool async) {
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const bool include_data = required_bool(fcinfo, 1, "include_data");
  return run_multi_clone(kOperationDatabase, conninfo, nullptr, nullptr, include_data, optional_text(fcinfo, 2),
                         async);
}

}  // namespace
}  // namespace pgclone::extension

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_schema);
PG_FUNCTION_INFO_V1(pgclone_schema_ex);
PG_FUNCTION_INFO_V1(pgclone_functions);
PG_FUNCTION_INFO_V1(pgclone_database);
PG_FUNCTION_INFO_V1(pgclone_database_create);
PG_FUNCTION_INFO_V1(pgclone_schema_async);
PG_FUNCTION_INFO_V1(pgclone_database_async);
}

// pgclone.schema(conninfo, schema_name, include_data DEFAULT true [, options])
extern "C" Datum pgclone_schema(PG_FUNCTION_ARGS) {
  return pgclone::extension::schema_clone(fcinfo, false);
}

// pgclone.schema_ex(conninfo, schema_name, include_data, include_indexes,
//                   include_constraints, include_triggers)
extern "C" Datum pgclone_schema_ex(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const char* schema = required_identifier(fcinfo, 1, "schema_name");
  const bool include_data = required_bool(fcinfo, 2, "include_data");
  const bool indexes = required_bool(fcinfo, 3, "include_indexes");
  const bool constraints = required_bool(fcinfo, 4, "include_constraints");
  const bool triggers = required_bool(fcinfo, 5, "include_triggers");
  return run_multi_clone(kOperationSchema, conninfo, schema, nullptr, include_data,
                         toggles_json(indexes, constraints, triggers));
}

// pgclone.functions(conninfo, schema_name)
extern "C" Datum pgclone_functions(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const char* schema = required_identifier(fcinfo, 1, "schema_name");
  return run_multi_clone(kOperationFunctions, conninfo, schema, nullptr, false, nullptr);
}

// pgclone.database(conninfo, include_data DEFAULT true [, options])
extern "C" Datum pgclone_database(PG_FUNCTION_ARGS) {
  return pgclone::extension::database_clone(fcinfo, false);
}

// pgclone.database_create(conninfo, target_dbname, include_data DEFAULT true [, options])
extern "C" Datum pgclone_database_create(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const char* target_database = required_identifier(fcinfo, 1, "target_dbname");
  const bool include_data = required_bool(fcinfo, 2, "include_data");
  return run_multi_clone(kOperationDatabaseCreate, conninfo, nullptr, target_database, include_data,
                         optional_text(fcinfo, 3));
}

// pgclone.schema_async(conninfo, schema_name, include_data DEFAULT true,
//                      options DEFAULT NULL) -> the job id, at once.
extern "C" Datum pgclone_schema_async(PG_FUNCTION_ARGS) {
  return pgclone::extension::schema_clone(fcinfo, true);
}

// pgclone.database_async(conninfo, include_data DEFAULT true, options DEFAULT
//                        NULL) -> the job id, at once.
extern "C" Datum pgclone_database_async(PG_FUNCTION_ARGS) {
  return pgclone::extension::database_clone(fcinfo, true);
}
