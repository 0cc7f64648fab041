#pragma once
// Requests about existing jobs (list, wait, resume, clear, cancel) and the
// decoding of the agent's job list into plain rows or JSON text for the
// progress functions. Included from both sides of the boundary: plain structs
// and noexcept functions only (the rules of agent_client.h apply). Strings a
// result points to are owned by this module and stay valid until its next
// decode call.

#include <cstdint>

#include "agent_client.h"

namespace pgclone::extension {

enum class JobRequestKind : int {
  kList = 0,    // JobsRequest   -> JobsReply
  kWait = 1,    // WaitRequest   -> JobAccepted, JobProgress..., JobFinished
  kResume = 2,  // ResumeRequest -> JobAccepted{new job id}
  kClear = 3,   // ClearRequest  -> ClearReply
  kCancel = 4,  // CancelRequest -> CancelReply
};

// Sends a job request on behalf of caller as the new current request (see
// client_send_clone_request). job_id: the job to wait for, resume or cancel;
// for kList the one job to list (0: every job the caller may see); unused for
// kClear. Errors (nothing sent) come back as kFailed.
// resume_source_conninfo: for kResume of a job with a named source, its
// conninfo built again from the resuming role's user mapping ("" otherwise).
SendResult client_send_job_request(const AgentAddress& endpoint, JobRequestKind kind,
                                   const CallerFields& caller, std::int64_t job_id,
                                   const char* resume_source_conninfo = "") noexcept;

// One job, as pgclone.progress_detail() shows it. Strings are never null.
// Times are unix epoch milliseconds, 0 when not reached yet.
struct JobRow {
  std::int64_t job_id;
  const char* status;
  const char* op_type;
  const char* schema_name;
  const char* table_name;
  const char* phase;
  const char* current_table;
  std::int64_t tables_total;
  std::int64_t tables_completed;
  std::int64_t rows_copied;
  std::int64_t bytes_copied;
  std::int64_t elapsed_ms;
  std::int64_t start_ms;
  std::int64_t end_ms;
  const char* error_message;  // "" when none
  const char* source_server;  // a named source's server, "" for a conninfo
  double pct_complete;        // protocol::percent_complete
  const char* progress_bar;   // protocol::progress_bar
  const char* elapsed_text;   // protocol::elapsed_text
  const char* hosts;          // protocol::hosts_text ("" without worker agents)
};

struct JobRowsResult {
  ClientStatus status;  // kOk or kFailed
  ClientError error;    // when kFailed
  std::int64_t count;
  const JobRow* rows;   // count rows (null when 0)
};

struct JobJsonResult {
  ClientStatus status;  // kOk or kFailed
  ClientError error;    // when kFailed
  std::int64_t count;   // jobs in the reply
  const char* json;     // single: job_json of the first job ("" when none);
                        // otherwise jobs_json of all of them
};

// Decode a JobsReply payload (ReceiveResult.payload / payload_size).
JobRowsResult client_decode_job_rows(const char* payload, std::uint64_t size) noexcept;
JobJsonResult client_decode_job_json(const char* payload, std::uint64_t size, bool single) noexcept;

}  // namespace pgclone::extension
