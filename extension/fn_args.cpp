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

namespace {

// Checks the options locally (before the agent is contacted) and fills the
// caller and target fields.
void prepare_clone(CloneRequestFields* fields, bool wait) {
  OptionsCheck check = check_clone_options(fields->options_json, fields->operation);
  if (!check.ok) report_error(check.sqlstate, check.message, check.detail, check.hint, nullptr);

  const CallerFields caller = current_caller();
  fields->target_conninfo = build_target_conninfo();
  fields->session_user = caller.session_user;
  fields->current_user = caller.current_user;
  fields->is_superuser = caller.is_superuser;
  if (fields->options_json == nullptr) fields->options_json = "";
  if (fields->schema == nullptr) fields->schema = "";
  if (fields->table == nullptr) fields->table = "";
  if (fields->target_table == nullptr) fields->target_table = "";
  if (fields->target_database == nullptr) fields->target_database = "";
  fields->wait = wait;
}

}  // namespace

Datum run_clone(CloneRequestFields fields) {
  prepare_clone(&fields, true);
  char* result = agent_call_clone(fields);
  return PointerGetDatum(cstring_to_text(result));
}

Datum run_clone_async(CloneRequestFields fields) {
  prepare_clone(&fields, false);
  return Int32GetDatum(job_id_to_int4(agent_call_clone_async(fields)));
}

int32 job_id_to_int4(int64 job_id) {
  if (job_id <= 0 || job_id > PG_INT32_MAX) {
    ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("pgclone agent returned job id " INT64_FORMAT
                           ", which does not fit the integer job ids of the SQL API",
                           job_id)));
  }
  return static_cast<int32>(job_id);
}

}  // namespace pgclone::extension
