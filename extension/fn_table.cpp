// PostgreSQL frame: pgclone.table(...) overloads and pgclone.table_ex(...).
#include "pg_headers.h"

#include "fn_args.h"

namespace pgclone::extension {
namespace {

// NULL target_table_name means "same name" (sent as "").
const char* target_table_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_NARGS() <= arg || PG_ARGISNULL(arg)) return "";
  char* value = text_to_cstring(PG_GETARG_TEXT_PP(arg));
  if (value[0] == '\0') {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("argument target_table_name of pgclone.%s must not be empty",
                           get_func_name(fcinfo->flinfo->fn_oid)),
                    errhint("Pass NULL to keep the source table's name.")));
  }
  return value;
}

Datum run_table_clone(const char* conninfo, const char* schema, const char* table,
                      bool include_data, const char* target_table, const char* options,
                      bool async = false) {
  CloneRequestFields fields{};
  fields.operation = kOperationTable;
  fields.source_conninfo = conninfo;
  fields.schema = schema;
  fields.table = table;
  fields.target_table = target_table;
  fields.include_data = include_data;
  fields.options_json = options;
  return async ? run_clone_async(fields) : run_clone(fields);
}

// table() and table_async() take the same arguments.
Datum table_clone(FunctionCallInfo fcinfo, bool async) {
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const char* schema = required_identifier(fcinfo, 1, "schema_name");
  const char* table = required_identifier(fcinfo, 2, "table_name");
  const bool include_data = required_bool(fcinfo, 3, "include_data");
  const char* target_table = target_table_arg(fcinfo, 4);
  return run_table_clone(conninfo, schema, table, include_data, target_table, optional_text(fcinfo, 5), async);
}

}  // namespace
}  // namespace pgclone::extension

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_table);
PG_FUNCTION_INFO_V1(pgclone_table_ex);
PG_FUNCTION_INFO_V1(pgclone_table_async);
}

// pgclone.table(conninfo, schema_name, table_name, include_data DEFAULT true
//               [, target_table_name [, options]])
extern "C" Datum pgclone_table(PG_FUNCTION_ARGS) {
  return pgclone::extension::table_clone(fcinfo, false);
}

// pgclone.table_ex(conninfo, schema_name, table_name, include_data,
//                  target_table_name, include_indexes, include_constraints,
//                  include_triggers)
extern "C" Datum pgclone_table_ex(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* conninfo = required_text(fcinfo, 0, "conninfo");
  const char* schema = required_identifier(fcinfo, 1, "schema_name");
  const char* table = required_identifier(fcinfo, 2, "table_name");
  const bool include_data = required_bool(fcinfo, 3, "include_data");
  const char* target_table = target_table_arg(fcinfo, 4);
  const bool indexes = required_bool(fcinfo, 5, "include_indexes");
  const bool constraints = required_bool(fcinfo, 6, "include_constraints");
  const bool triggers = required_bool(fcinfo, 7, "include_triggers");
  return run_table_clone(conninfo, schema, table, include_data, target_table,
                         toggles_json(indexes, constraints, triggers));
}

// pgclone.table_async(conninfo, schema_name, table_name, include_data DEFAULT
//                     true, target_table_name DEFAULT NULL, options DEFAULT NULL)
// -> the job id, at once.
extern "C" Datum pgclone_table_async(PG_FUNCTION_ARGS) {
  return pgclone::extension::table_clone(fcinfo, true);
}
