// Pure C++: job requests and job list decoding. See job_client.h.
#include "cxx_only.h"

#include "job_client.h"

#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "client_transport.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/job_report.h"
#include "pgclone/protocol/messages.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

// Results live on PostgreSQL stack frames, which longjmp may abandon.
static_assert(std::is_trivially_destructible_v<JobRow> && std::is_trivially_copyable_v<JobRow>,
              "JobRow crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<JobRowsResult> && std::is_trivially_copyable_v<JobRowsResult>,
              "JobRowsResult crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<JobJsonResult> && std::is_trivially_copyable_v<JobJsonResult>,
              "JobJsonResult crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<CallerFields> && std::is_trivially_copyable_v<CallerFields>,
              "CallerFields crosses into the PostgreSQL frame: no destructors allowed");

// Storage behind the pointers of the last decode. Allocated once, never
// destroyed (no static destructor at process exit).
struct Storage {
  std::vector<proto::JobInfo> jobs;
  std::vector<std::string> bars;
  std::vector<std::string> elapsed;
  std::vector<std::string> hosts;
  std::vector<JobRow> rows;
  std::string json;
  std::string message;
};

Storage* storage() {
  static Storage* instance = new Storage();
  return instance;
}

ClientError make_error(const char* sqlstate, const char* message) noexcept {
  ClientError e;
  std::memset(e.sqlstate, 0, sizeof e.sqlstate);
  std::memcpy(e.sqlstate, sqlstate, strnlen(sqlstate, 5));  // five characters, NUL from the memset
  e.message = message;
  e.detail = e.hint = e.context = "";
  return e;
}

ClientError no_error() noexcept {
  ClientError e;
  std::memset(e.sqlstate, 0, sizeof e.sqlstate);
  e.message = e.detail = e.hint = e.context = "";
  return e;
}

// The error of a failed decode; falls back to a fixed text if even storing
// the message fails.
ClientError decode_error(const char* sqlstate, const char* what) noexcept {
  try {
    Storage* s = storage();
    s->message = std::string("invalid job list from pgclone agent: ") + what;
    return make_error(sqlstate, s->message.c_str());
  } catch (...) {
    return make_error(proto::sqlstate::kInternalError,
                      "internal error in pgclone: out of memory decoding the job list");
  }
}

std::vector<proto::JobInfo> unpack_jobs(const char* payload, std::uint64_t size) {
  proto::Envelope envelope;  // unpack_payload names the kind in its errors
  envelope.kind = static_cast<std::uint8_t>(proto::MessageKind::kJobsReply);
  envelope.payload.assign(payload != nullptr ? payload : "", payload != nullptr ? size : 0);
  return proto::unpack_payload<proto::JobsReply>(envelope).jobs;
}

JobRowsResult decode_rows(const char* payload, std::uint64_t size) {
  Storage* s = storage();
  s->rows.clear();
  s->bars.clear();
  s->elapsed.clear();
  s->hosts.clear();
  s->jobs = unpack_jobs(payload, size);
  const std::size_t n = s->jobs.size();
  s->bars.reserve(n);
  s->elapsed.reserve(n);
  s->hosts.reserve(n);
  s->rows.reserve(n);
  for (const proto::JobInfo& job : s->jobs) {
    const double pct = proto::percent_complete(job);
    s->bars.push_back(proto::progress_bar(pct, job.rows_copied, job.elapsed_ms));
    s->elapsed.push_back(proto::elapsed_text(job.elapsed_ms));
    s->hosts.push_back(proto::hosts_text(job));
    JobRow row;
    row.job_id = job.job_id;
    row.status = job.status.c_str();
    row.op_type = job.op_type.c_str();
    row.schema_name = job.schema_name.c_str();
    row.table_name = job.table_name.c_str();
    row.phase = job.phase.c_str();
    row.current_table = job.current_table.c_str();
    row.tables_total = job.tables_total;
    row.tables_completed = job.tables_completed;
    row.rows_copied = job.rows_copied;
    row.bytes_copied = job.bytes_copied;
    row.elapsed_ms = job.elapsed_ms;
    row.start_ms = job.start_ms;
    row.end_ms = job.end_ms;
    row.error_message = job.error_message.c_str();
    row.source_server = job.source_server.c_str();
    row.pct_complete = pct;
    row.progress_bar = s->bars.back().c_str();
    row.elapsed_text = s->elapsed.back().c_str();
    row.hosts = s->hosts.back().c_str();
    s->rows.push_back(row);
  }
  JobRowsResult result;
  result.status = ClientStatus::kOk;
  result.error = no_error();
  result.count = static_cast<std::int64_t>(n);
  result.rows = n == 0 ? nullptr : s->rows.data();
  return result;
}

JobJsonResult decode_json(const char* payload, std::uint64_t size, bool single) {
  Storage* s = storage();
  s->jobs = unpack_jobs(payload, size);
  if (single) s->json = s->jobs.empty() ? std::string() : proto::job_json(s->jobs.front());
  else s->json = proto::jobs_json(s->jobs);
  JobJsonResult result;
  result.status = ClientStatus::kOk;
  result.error = no_error();
  result.count = static_cast<std::int64_t>(s->jobs.size());
  result.json = s->json.c_str();
  return result;
}

// Job requests never create a job: abandoning one (a wait, say) never
// cancels anything.
template <typename Request>
SendResult send_request_as(const AgentAddress& endpoint, proto::MessageKind kind, Request request,
                           const proto::Caller& caller) {
  request.caller = caller;
  return client_send_payload(endpoint, kind, proto::pack_payload(request), false);
}

SendResult send_job_request(const AgentAddress& endpoint, JobRequestKind kind, const CallerFields& fields,
                            std::int64_t job_id, const char* resume_source_conninfo) {
  const proto::Caller caller = to_protocol_caller(fields);
  switch (kind) {
    case JobRequestKind::kList:
      return send_request_as(endpoint, proto::MessageKind::kJobsRequest, proto::JobsRequest{{}, job_id}, caller);
    case JobRequestKind::kWait:
      return send_request_as(endpoint, proto::MessageKind::kWaitRequest, proto::WaitRequest{{}, job_id}, caller);
    case JobRequestKind::kResume:
      return send_request_as(endpoint, proto::MessageKind::kResumeRequest,
                             proto::ResumeRequest{{}, job_id, resume_source_conninfo}, caller);
    case JobRequestKind::kClear:
      return send_request_as(endpoint, proto::MessageKind::kClearRequest, proto::ClearRequest{}, caller);
    case JobRequestKind::kCancel: {
      proto::CancelRequest request;
      request.job_id = job_id;
      return send_request_as(endpoint, proto::MessageKind::kCancelRequest, request, caller);
    }
  }
  return client_send_error("unknown job request kind");
}

// Runs a decoder; any exception becomes `failed` with the error it carries
// (a protocol error keeps its SQLSTATE), so none crosses into PostgreSQL.
template <typename Result, typename Decode>
Result guarded_decode(Result failed, Decode&& decode) noexcept {
  try {
    return decode();
  } catch (const proto::ProtocolError& e) {
    failed.error = decode_error(e.sqlstate.c_str(), e.what());
  } catch (const std::exception& e) {
    failed.error = decode_error(proto::sqlstate::kInternalError, e.what());
  } catch (...) {
    failed.error = decode_error(proto::sqlstate::kInternalError, "unknown exception");
  }
  return failed;
}

}  // namespace

SendResult client_send_job_request(const AgentAddress& endpoint, JobRequestKind kind,
                                   const CallerFields& caller, std::int64_t job_id,
                                   const char* resume_source_conninfo) noexcept {
  try {
    return send_job_request(endpoint, kind, caller, job_id, resume_source_conninfo);
  } catch (const std::exception& e) {
    return client_send_error(e.what());
  } catch (...) {
    return client_send_error("unknown exception");
  }
}

JobRowsResult client_decode_job_rows(const char* payload, std::uint64_t size) noexcept {
  JobRowsResult failed;
  failed.status = ClientStatus::kFailed;
  failed.count = 0;
  failed.rows = nullptr;
  return guarded_decode(failed, [&] { return decode_rows(payload, size); });
}

JobJsonResult client_decode_job_json(const char* payload, std::uint64_t size, bool single) noexcept {
  JobJsonResult failed;
  failed.status = ClientStatus::kFailed;
  failed.count = 0;
  failed.json = "";
  return guarded_decode(failed, [&] { return decode_json(payload, size, single); });
}

}  // namespace pgclone::extension
