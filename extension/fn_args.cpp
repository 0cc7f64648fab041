// PostgreSQL frame: see fn_args.h.
#include "pg_headers.h"

#include "fn_args.h"

#include "agent_call.h"
#include "caller_proof.h"
#include "named_source.h"
#include "options_check.h"
#include "report.h"
#include "pgclone/protocol/limits.h"

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

namespace proto = pgclone::protocol;

void check_name_length(const char* value, const char* what) {
  const size_t length = strlen(value);
  if (length > proto::kMaxIdentifierBytes) {
    // The wording of protocol::too_long_detail(), which cannot be called here
    // (it returns a std::string, and ereport would skip its destructor).
    ereport(ERROR, (errcode(ERRCODE_NAME_TOO_LONG), errmsg("%s is too long", what),
                    errdetail("The %s has %zu bytes; at most %zu are allowed.", what, length,
                              proto::kMaxIdentifierBytes)));
  }
}

// Bounded input: nothing the agent is sent can be larger than it needs to be.
void check_request_bounds(const CloneRequestFields& fields) {
  if (fields.schema != nullptr) check_name_length(fields.schema, "schema name");
  if (fields.table != nullptr) check_name_length(fields.table, "table name");
  if (fields.target_table != nullptr) check_name_length(fields.target_table, "target table name");
  if (fields.target_database != nullptr) check_name_length(fields.target_database, "database name");
  if (fields.role_names != nullptr && strlen(fields.role_names) > proto::kMaxOptionsBytes) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("role_names is too long"),
                    errdetail("The role_names text has %zu bytes; at most %zu are allowed.",
                              strlen(fields.role_names), proto::kMaxOptionsBytes)));
  }
  const size_t conninfo_length = strlen(fields.source_conninfo);
  if (conninfo_length > proto::kMaxConninfoBytes) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("connection string is too long"),
                    errdetail("The connection string has %zu bytes; at most %zu are allowed.", conninfo_length,
                              proto::kMaxConninfoBytes)));
  }
}

// The agent's sessions cannot see what the calling transaction has not
// committed: a schema created in it would look missing to them (or make them
// wait for the caller forever), so say so at once.
void check_schema_committed(const char* schema) {
  if (schema == nullptr || schema[0] == '\0') return;
  HeapTuple tuple = SearchSysCache1(NAMESPACENAME, CStringGetDatum(schema));
  if (!HeapTupleIsValid(tuple)) return;
  const bool created_here = TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tuple->t_data));
  ReleaseSysCache(tuple);
  if (created_here) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("schema \"%s\" was created in the current transaction", schema),
                    errdetail("pgclone clones on connections of its own, which cannot see what this "
                              "transaction has not committed."),
                    errhint("Commit the transaction that creates the schema first.")));
  }
}

// Checks the arguments locally (before the agent is contacted) and fills the
// caller fields with proof's.
void prepare_clone(CloneRequestFields* fields, bool wait, const CallerProof* proof) {
  fields->source_server = "";
  if (is_server_name(fields->source_conninfo)) {
    check_name_length(fields->source_conninfo, "server name");
    fields->source_server = fields->source_conninfo;
    fields->source_conninfo = named_source_conninfo(fields->source_server);
  }
  check_request_bounds(*fields);
  OptionsCheck check = check_clone_options(fields->options_json, fields->operation);
  if (!check.ok) report_error(check.sqlstate, check.message, check.detail, check.hint, nullptr);

  // discover_sensitive only reads the source: this database's schemas do not
  // matter. (verify reads them: one created in this transaction is refused.)
  if (strcmp(fields->operation, kOperationDatabase) != 0 &&
      strcmp(fields->operation, kOperationDatabaseCreate) != 0 &&
      strcmp(fields->operation, kOperationDiscover) != 0 && strcmp(fields->operation, kOperationRoles) != 0) {
    check_schema_committed(fields->schema);
  }
  fields->caller = caller_fields(proof);
  fields->caller_lock_timeout_ms = LockTimeout;
  if (fields->options_json == nullptr) fields->options_json = "";
  if (fields->schema == nullptr) fields->schema = "";
  if (fields->table == nullptr) fields->table = "";
  if (fields->target_table == nullptr) fields->target_table = "";
  if (fields->target_database == nullptr) fields->target_database = "";
  if (fields->role_names == nullptr) fields->role_names = "";
  fields->wait = wait;
}

}  // namespace

Datum run_clone(CloneRequestFields fields) {
  CallerProof proof;
  caller_proof_take(&proof);
  prepare_clone(&fields, true, &proof);
  char* result = agent_call_clone(fields);
  caller_proof_release(&proof);
  return PointerGetDatum(cstring_to_text(result));
}

Datum run_clone_async(CloneRequestFields fields) {
  CallerProof proof;
  caller_proof_take(&proof);
  prepare_clone(&fields, false, &proof);
  const int64 job_id = agent_call_clone_async(fields);
  caller_proof_release(&proof);
  return Int32GetDatum(job_id_to_int4(job_id));
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
