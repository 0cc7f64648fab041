// PostgreSQL frame: the job functions — progress(), jobs(), progress_detail()
// (behind pgclone.jobs_view), cancel(), resume(), clear_jobs() and wait().
// Each is a sandwich: read the arguments, one exchange with the agent plus
// at most one noexcept decode into plain structs, then build the result.
#include "pg_headers.h"

#include "agent_call.h"
#include "named_source.h"
#include "fn_args.h"
#include "job_client.h"
#include "report.h"

namespace pgclone::extension {
namespace {

bool present(const char* s) { return s != nullptr && s[0] != '\0'; }

[[noreturn]] void report_no_such_job(int64 job_id) {
  ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                  errmsg("pgclone job " INT64_FORMAT " does not exist", job_id)));
  pg_unreachable();
}

// The job_id argument: not NULL (22004), and a possible id (42704 otherwise;
// 0 would mean "every job" or "by request" on the wire).
int64 job_id_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("argument job_id of pgclone.%s must not be NULL",
                           get_func_name(fcinfo->flinfo->fn_oid))));
  }
  const int64 job_id = PG_GETARG_INT32(arg);
  if (job_id <= 0) report_no_such_job(job_id);
  return job_id;
}

// The wait timeout in milliseconds; -1 when NULL (no timeout).
int64 timeout_arg_ms(FunctionCallInfo fcinfo, int arg) {
  if (PG_NARGS() <= arg || PG_ARGISNULL(arg)) return -1;
  const Interval* span = PG_GETARG_INTERVAL_P(arg);
  // Months count as 30 days, as elsewhere in PostgreSQL's interval arithmetic.
  const double usec = static_cast<double>(span->time) +
                      static_cast<double>(span->day) * USECS_PER_DAY +
                      static_cast<double>(span->month) * DAYS_PER_MONTH * USECS_PER_DAY;
  if (usec < 0) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("argument timeout of pgclone.wait must not be negative"),
                    errhint("Pass NULL to wait until the job ends.")));
  }
  constexpr double kMaxMs = 100.0 * 366 * 24 * 3600 * 1000;  // a century is "forever"
  const double ms = usec / 1000.0;
  return ms > kMaxMs ? static_cast<int64>(kMaxMs) : static_cast<int64>(ms);
}

// Unix epoch milliseconds -> timestamptz; NULL for 0 (not reached yet).
Datum epoch_ms_datum(int64 ms, bool* isnull) {
  *isnull = ms == 0;
  if (ms == 0) return (Datum)0;
  const int64 offset_us =
      static_cast<int64>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC;
  return TimestampTzGetDatum(static_cast<TimestampTz>(ms * 1000 - offset_us));
}

Datum text_or_null(const char* s, bool* isnull) {
  *isnull = !present(s);
  return *isnull ? (Datum)0 : PointerGetDatum(cstring_to_text(s));
}

// One JobsRequest (job_id 0: every visible job) decoded to JSON text.
JobJsonResult list_json(int64 job_id, bool single) {
  ReceiveResult reply = agent_call_job(JobRequestKind::kList, job_id);
  JobJsonResult json = client_decode_job_json(reply.payload, reply.payload_size, single);
  if (json.status != ClientStatus::kOk) report_client_error(json.error);
  return json;
}

constexpr int kDetailColumns = 19;

// Whether backend pid holds the ACCESS EXCLUSIVE lock on schema.table that a
// running mask_in_place holds from before it registers until it ends: a
// stale job's pid may belong to somebody else's session by now.
bool backend_masks_table(int pid, const char* schema, const char* table) {
  Oid types[3] = {INT4OID, TEXTOID, TEXTOID};
  Datum values[3] = {Int32GetDatum(pid), CStringGetTextDatum(schema), CStringGetTextDatum(table)};
  SPI_connect();
  const int rc = SPI_execute_with_args(
      "SELECT 1 FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE l.pid = $1 AND l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_catalog.pg_database"
      " WHERE datname = pg_catalog.current_database()) AND l.mode = 'AccessExclusiveLock' AND l.granted"
      " AND n.nspname = $2 AND c.relname = $3",
      3, types, values, nullptr, true, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "pgclone: could not read pg_locks");
  const bool found = SPI_processed > 0;
  SPI_finish();
  return found;
}

// A running local job (mask_in_place) runs in a backend of this server; the
// agent named it. Signals it from this session, with PostgreSQL's own
// permission check (same role, or pg_signal_backend: 42501 otherwise).
const char* cancel_local_job(int64 job_id, const ReceiveResult& reply) {
  const int pid = reply.backend_pid;
  const Oid database = static_cast<Oid>(reply.database_oid);
  const char* database_name = pstrdup(reply.database);
  const char* schema = pstrdup(reply.schema);
  const char* table = pstrdup(reply.table);
  if (database != MyDatabaseId) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("pgclone job " INT64_FORMAT " runs in database \"%s\"", job_id, database_name),
                    errdetail("A mask_in_place job runs in its caller's session (backend %d); only a session of "
                              "the same database cancels it.",
                              pid),
                    errhint("Run SELECT pgclone.cancel(" INT64_FORMAT ") in database \"%s\".", job_id,
                            database_name)));
  }
  if (!backend_masks_table(pid, schema, table)) {
    return psprintf("job " INT64_FORMAT " is no longer running in backend %d", job_id, pid);
  }
  if (!DatumGetBool(DirectFunctionCall1(pg_cancel_backend, Int32GetDatum(pid)))) {
    return psprintf("job " INT64_FORMAT " is no longer running in backend %d", job_id, pid);
  }
  return psprintf("cancel requested for job " INT64_FORMAT, job_id);
}

}  // namespace
}  // namespace pgclone::extension

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_progress);
PG_FUNCTION_INFO_V1(pgclone_jobs);
PG_FUNCTION_INFO_V1(pgclone_progress_detail);
PG_FUNCTION_INFO_V1(pgclone_cancel);
PG_FUNCTION_INFO_V1(pgclone_resume);
PG_FUNCTION_INFO_V1(pgclone_clear_jobs);
PG_FUNCTION_INFO_V1(pgclone_wait);
}

// pgclone.progress(job_id) -> the job as a JSON object.
extern "C" Datum pgclone_progress(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const int64 job_id = job_id_arg(fcinfo, 0);
  JobJsonResult json = list_json(job_id, true);
  if (json.count == 0) report_no_such_job(job_id);
  PG_RETURN_TEXT_P(cstring_to_text(json.json));
}

// pgclone.jobs() -> every job the caller may see, as a JSON array.
extern "C" Datum pgclone_jobs(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  JobJsonResult json = list_json(0, false);
  PG_RETURN_TEXT_P(cstring_to_text(json.json));
}

// pgclone.progress_detail() -> SETOF one row per visible job (materialized).
extern "C" Datum pgclone_progress_detail(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  if (rsinfo->setDesc->natts != kDetailColumns) {
    elog(ERROR, "pgclone.progress_detail() must return %d columns, not %d", kDetailColumns,
         rsinfo->setDesc->natts);
  }

  ReceiveResult reply = agent_call_job(JobRequestKind::kList, 0);
  JobRowsResult rows = client_decode_job_rows(reply.payload, reply.payload_size);
  if (rows.status != ClientStatus::kOk) report_client_error(rows.error);

  // No client call from here on: the rows stay valid while the tuples are built.
  for (int64 i = 0; i < rows.count; ++i) {
    const JobRow& job = rows.rows[i];
    Datum values[kDetailColumns];
    bool nulls[kDetailColumns];
    memset(nulls, 0, sizeof nulls);
    values[0] = Int32GetDatum(job_id_to_int4(job.job_id));
    values[1] = PointerGetDatum(cstring_to_text(job.status));
    values[2] = text_or_null(job.op_type, &nulls[2]);
    values[3] = text_or_null(job.schema_name, &nulls[3]);
    values[4] = text_or_null(job.table_name, &nulls[4]);
    values[5] = text_or_null(job.phase, &nulls[5]);
    values[6] = text_or_null(job.current_table, &nulls[6]);
    values[7] = Int64GetDatum(job.tables_total);
    values[8] = Int64GetDatum(job.tables_completed);
    values[9] = Int64GetDatum(job.rows_copied);
    values[10] = Int64GetDatum(job.bytes_copied);
    values[11] = Int64GetDatum(job.elapsed_ms);
    values[12] = epoch_ms_datum(job.start_ms, &nulls[12]);
    values[13] = epoch_ms_datum(job.end_ms, &nulls[13]);
    values[14] = text_or_null(job.error_message, &nulls[14]);
    values[15] = Float8GetDatum(job.pct_complete);
    values[16] = PointerGetDatum(cstring_to_text(job.progress_bar));
    values[17] = PointerGetDatum(cstring_to_text(job.elapsed_text));
    values[18] = text_or_null(job.hosts, &nulls[18]);
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
  }
  return (Datum)0;
}

// pgclone.cancel(job_id) -> the agent's answer ("cancel requested for job 7",
// "job 7 has already finished").
extern "C" Datum pgclone_cancel(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const int64 job_id = job_id_arg(fcinfo, 0);
  ReceiveResult reply = agent_call_job(JobRequestKind::kCancel, job_id);
  if (reply.backend_pid > 0) {
    PG_RETURN_TEXT_P(cstring_to_text(cancel_local_job(job_id, reply)));
  }
  PG_RETURN_TEXT_P(cstring_to_text(reply.text));
}

// pgclone.resume(job_id) -> the id of the new job that continues it.
extern "C" Datum pgclone_resume(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const int64 job_id = job_id_arg(fcinfo, 0);
  // A job with a named source gets its conninfo built again, from the server
  // and the resuming role's user mapping: the agent keeps only the name.
  const char* source_conninfo = "";
  ReceiveResult listed = agent_call_job(JobRequestKind::kList, job_id);
  JobRowsResult rows = client_decode_job_rows(listed.payload, listed.payload_size);
  if (rows.status != ClientStatus::kOk) report_client_error(rows.error);
  if (rows.count == 1 && rows.rows[0].source_server[0] != '\0') {
    source_conninfo = named_source_conninfo(pstrdup(rows.rows[0].source_server));
  }
  ReceiveResult reply = agent_call_job(JobRequestKind::kResume, job_id, source_conninfo);
  PG_RETURN_INT32(job_id_to_int4(reply.job_id));
}

// pgclone.clear_jobs() -> how many finished jobs the agent forgot.
extern "C" Datum pgclone_clear_jobs(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  ReceiveResult reply = agent_call_job(JobRequestKind::kClear, 0);
  if (reply.count < 0 || reply.count > PG_INT32_MAX) {
    elog(ERROR, "pgclone agent reported " INT64_FORMAT " cleared jobs", reply.count);
  }
  PG_RETURN_INT32(static_cast<int32>(reply.count));
}

// pgclone.wait(job_id, timeout DEFAULT NULL) -> the final status, or the
// current one when the timeout expires first.
extern "C" Datum pgclone_wait(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const int64 job_id = job_id_arg(fcinfo, 0);
  const int64 timeout_ms = timeout_arg_ms(fcinfo, 1);
  PG_RETURN_TEXT_P(cstring_to_text(agent_call_wait(job_id, timeout_ms)));
}
