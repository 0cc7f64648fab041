// PostgreSQL frame: see fn_args.h.
#include "pg_headers.h"

#include "fn_args.h"

#include "agent_call.h"
#include "options_check.h"
#include "report.h"
#include "target_conninfo.h"

namespace pgclone::extension {

char* required_text(FunctionCallInfo fcinfo, int arg, const char* name) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("argument %s of pgclone.%s must not be NULL", name,
                           get_func_name(fcinfo->flinfo->fn_oid))));
  }
  return text_to_cstring(PG_GETARG_TEXT_PP(arg));
}

char* required_identifier(FunctionCallInfo fcinfo, int arg, const char* name) {
  char* value = required_text(fcinfo, arg, name);
  if (value[0] == '\0') {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("argument %s of pgclone.%s must not be empty", name,
                           get_func_name(fcinfo->flinfo->fn_oid))));
  }
  return value;
}

bool required_bool(FunctionCallInfo fcinfo, int arg, const char* name) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("argument %s of pgclone.%s must not be NULL", name,
                           get_func_name(fcinfo->flinfo->fn_oid))));
  }
  return PG_GETARG_BOOL(arg);
}

const char* optional_text(FunctionCallInfo fcinfo, int arg) {
  if (PG_NARGS() <= arg || PG_ARGISNULL(arg)) return nullptr;
  return text_to_cstring(PG_GETARG_TEXT_PP(arg));
}

const char* toggles_json(bool indexes, bool constraints, bool triggers) {
  return psprintf("{\"indexes\": %s, \"constraints\": %s, \"triggers\": %s}", indexes ? "true" : "false",
                  constraints ? "true" : "false", triggers ? "true" : "false");
}

Datum run_clone(CloneRequestFields fields) {
  OptionsCheck check = check_clone_options(fields.options_json, fields.operation);
  if (!check.ok) report_error(check.sqlstate, check.message, nullptr, check.hint, nullptr);

  fields.target_conninfo = build_target_conninfo();
  fields.session_user = GetUserNameFromId(GetSessionUserId(), false);
  fields.current_user = GetUserNameFromId(GetUserId(), false);
  fields.is_superuser = superuser();
  if (fields.options_json == nullptr) fields.options_json = "";
  if (fields.schema == nullptr) fields.schema = "";
  if (fields.table == nullptr) fields.table = "";
  if (fields.target_table == nullptr) fields.target_table = "";
  if (fields.target_database == nullptr) fields.target_database = "";
  fields.wait = true;

  char* result = agent_call_clone(fields);
  return PointerGetDatum(cstring_to_text(result));
}

}  // namespace pgclone::extension
