#pragma once
// Message kinds and payloads exchanged between the extension (DEALER) and the
// agent (ROUTER). Payload structs only ever gain fields at the end: msgpack
// arrays decode with missing trailing fields left at their defaults.

#include <cstdint>
#include <map>
#include <msgpack.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/protocol/error_info.h"

namespace pgclone::protocol {

enum class MessageKind : std::uint8_t {
  // extension -> agent
  kStatusRequest = 1,
  kCloneRequest = 2,
  kCancelRequest = 3,
  kJobsRequest = 4,
  kWaitRequest = 5,
  kResumeRequest = 6,
  kClearRequest = 7,
  kLocalJobStart = 8,
  kLocalJobEnd = 9,
  // agent -> extension
  kStatusReply = 20,
  kJobAccepted = 21,
  kJobProgress = 22,
  kJobFinished = 23,
  kCancelReply = 24,
  kJobsReply = 25,
  kClearReply = 26,
  kErrorReply = 30,
  // coordinator <-> worker agents (worker_messages.h)
  kWorkerHello = 40,
  kWorkerWelcome = 41,
  kWorkerHeartbeat = 42,
  kCoordinatorHeartbeat = 43,
  kWorkerUnknown = 44,
  kTaskAssign = 45,
  kTaskResult = 46,
  kTaskCancel = 47,
};

const char* message_kind_name(MessageKind kind);

// Every message body: the payload is itself msgpack, decoded per kind.
struct Envelope {
  std::uint32_t protocol_major = 0;
  std::uint8_t kind = 0;
  std::uint64_t request_id = 0;
  std::string payload;  // msgpack bytes of the payload struct
  MSGPACK_DEFINE(protocol_major, kind, request_id, payload);

  MessageKind message_kind() const { return static_cast<MessageKind>(kind); }
};

// Who is asking, as something the agent can check rather than believe: the
// calling backend holds two advisory locks derived from SHA-256(proof) (see
// caller_proof.h) while the request is in flight; the agent finds them in
// pg_locks of `database` on the enrolled server and reads the backend's role
// and rolsuper itself. Names, roles and superuser-ness are never sent.
struct Caller {
  std::string database;  // the calling database
  std::string proof;     // 64 hex digits, fresh for every request
  MSGPACK_DEFINE(database, proof);
};

struct StatusRequest {
  int unused = 0;
  MSGPACK_DEFINE(unused);
};

struct StatusReply {
  std::string json;  // pgclone.agent_status() document
  MSGPACK_DEFINE(json);
};

// Operations a clone request can ask for.
inline constexpr const char* kOpTable = "table";
inline constexpr const char* kOpSchema = "schema";
inline constexpr const char* kOpFunctions = "functions";
inline constexpr const char* kOpDatabase = "database";
inline constexpr const char* kOpDatabaseCreate = "database_create";
// Not a clone: reads the source schema and returns the masks its sensitive
// columns should get (pgclone.discover_sensitive); runs as a job all the same.
inline constexpr const char* kOpDiscover = "discover_sensitive";
// Not a clone: compares the source schema with the same schema of the target
// (pgclone.diff) and returns the JSON drift report; runs as a job all the same.
inline constexpr const char* kOpDiff = "diff";
// Not a clone: checks whether a schema clone from the source would work
// (pgclone.preflight) and returns the report; changes nothing on either side.
inline constexpr const char* kOpPreflight = "preflight";
// Not a clone of a database's objects: pgclone.clone_roles() copies cluster
// roles (attributes, memberships, settings) from the source cluster to the
// target's; CloneRequest.role_names restricts them.
inline constexpr const char* kOpRoles = "clone_roles";
// Schema-like clones whose rows are a referentially consistent sample
// (CloneOptions.sample): of one table (CloneRequest.table) and the tables its
// foreign keys reach, or of a whole schema (and the tables it references).
inline constexpr const char* kOpTableSample = "table_sample";
inline constexpr const char* kOpSchemaSample = "schema_sample";
// A sample's rows belong to one snapshot of the source: a resumed job would
// read another, and rows loaded before and after could not reference each
// other. Every other job kind resumes.
inline bool operation_resumable(std::string_view operation) {
  return operation != kOpTableSample && operation != kOpSchemaSample;
}
// Not run by the agent at all: a "local job" the extension runs in the
// caller's own session (pgclone.mask_in_place) and only reports, so that it
// is listed, can be cancelled and is remembered like the others.
inline constexpr const char* kOpMaskInPlace = "mask_in_place";
// Not a clone: compares the source's tables with the caller's database
// (pgclone.verify); options_json holds verify options (verify_options.h),
// schema is "" for every user schema of the source.
inline constexpr const char* kOpVerify = "verify";

// The target is never named here: the agent reaches the calling database
// through its own enrolment of the server that sent the request.
struct CloneRequest {
  std::string operation;  // kOpTable, ...
  std::string source_conninfo;
  Caller caller;
  std::string schema;
  std::string table;
  std::string target_table;  // empty: same as table
  bool include_data = true;
  std::string options_json;  // validated again by the agent
  bool wait = true;          // stream progress and the result to this request
  std::string target_database;  // database_create: the database to create and clone into
  std::int64_t caller_lock_timeout_ms = 0;  // the caller's lock_timeout (the "lock_timeout" option's default)
  // A named source (a foreign server of the pgclone wrapper): its name. The
  // conninfo was built from it and the caller's user mapping; the agent keeps
  // it in memory only and shows, stores and resumes by the name.
  std::string source_server;
  // clone_roles: the role_names argument as given, comma-separated ("" for all).
  std::string role_names;
  MSGPACK_DEFINE(operation, source_conninfo, caller, schema, table, target_table, include_data,
                 options_json, wait, target_database, caller_lock_timeout_ms, source_server, role_names);
};

struct JobAccepted {
  std::int64_t job_id = 0;
  MSGPACK_DEFINE(job_id);
};

// Heartbeat while a waited-for job runs; also proves the agent is alive.
struct JobProgress {
  std::int64_t job_id = 0;
  std::string status;
  std::string phase;
  std::string current_table;
  std::int64_t tables_total = 0;
  std::int64_t tables_completed = 0;
  std::int64_t rows_copied = 0;
  std::int64_t bytes_copied = 0;
  MSGPACK_DEFINE(job_id, status, phase, current_table, tables_total, tables_completed,
                 rows_copied, bytes_copied);
};

struct JobFinished {
  std::int64_t job_id = 0;
  std::string status;       // completed | failed | cancelled
  std::string result_text;  // the SQL function's result when completed
  ErrorInfo error;          // set when failed or cancelled
  std::vector<Notice> notices;
  MSGPACK_DEFINE(job_id, status, result_text, error, notices);
};

// Cancels job_id; or, when job_id is 0, the job that this connection's
// request request_id started (a call cancelled before its JobAccepted arrived).
// A job started by the same connection may be cancelled without a caller
// proof (the calling transaction may already be aborting); any other needs
// the owner's proof.
struct CancelRequest {
  std::int64_t job_id = 0;
  Caller caller;
  std::uint64_t request_id = 0;
  MSGPACK_DEFINE(job_id, caller, request_id);
};

// For a running local job the agent cannot stop the work itself: it names
// the backend that runs it (backend_pid > 0), and the cancelling session
// signals that backend (pg_cancel_backend) when it is in the same database.
struct CancelReply {
  bool cancelled = false;
  std::string message;
  std::int32_t backend_pid = 0;  // a running local job's backend; 0 otherwise
  std::int64_t database_oid = 0;  // ... in this database of the caller's server
  std::string database;           // ... named so
  std::string schema;             // ... masking this table
  std::string table;
  MSGPACK_DEFINE(cancelled, message, backend_pid, database_oid, database, schema, table);
};

// Lists the jobs the caller may see (its own; every job for a superuser).
struct JobsRequest {
  Caller caller;
  std::int64_t job_id = 0;  // 0: every visible job
  MSGPACK_DEFINE(caller, job_id);
};

// One job as the progress functions and views show it. Times are unix epoch
// milliseconds (0: not yet). The connection string is shown redacted.
struct JobInfo {
  std::int64_t job_id = 0;
  std::string status;
  std::string op_type;
  std::string schema_name;
  std::string table_name;
  std::string phase;
  std::string current_table;
  std::int64_t tables_total = 0;
  std::int64_t tables_completed = 0;
  std::int64_t rows_copied = 0;
  std::int64_t bytes_copied = 0;
  std::int64_t bytes_total = 0;  // estimate from the source's relation sizes
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t elapsed_ms = 0;
  std::string error_message;
  std::string error_sqlstate;
  std::string owner;
  std::string source;  // redacted conninfo
  std::int64_t resumed_from = 0;
  std::string source_server;  // a named source's server ("" for a conninfo)
  // With worker agents (agent --worker-listen): tables loaded per host, and,
  // when one job is asked for, the host of each table (qualified name).
  std::map<std::string, std::int64_t> tables_by_host;
  std::map<std::string, std::string> table_hosts;
  MSGPACK_DEFINE(job_id, status, op_type, schema_name, table_name, phase, current_table, tables_total,
                 tables_completed, rows_copied, bytes_copied, bytes_total, start_ms, end_ms, elapsed_ms,
                 error_message, error_sqlstate, owner, source, resumed_from, source_server, tables_by_host,
                 table_hosts);
};

struct JobsReply {
  std::vector<JobInfo> jobs;
  MSGPACK_DEFINE(jobs);
};

// Waits for a job: the agent streams JobProgress and ends with JobFinished
// (at once when the job has already ended).
struct WaitRequest {
  Caller caller;
  std::int64_t job_id = 0;
  MSGPACK_DEFINE(caller, job_id);
};

// Starts a new job that continues a failed, cancelled or interrupted one;
// answered with JobAccepted carrying the new job's id.
struct ResumeRequest {
  Caller caller;
  std::int64_t job_id = 0;
  // For a job with a named source: the conninfo built again from the server
  // and the resuming role's user mapping ("" otherwise).
  std::string source_conninfo;
  MSGPACK_DEFINE(caller, job_id, source_conninfo);
};

// Forgets the caller's finished jobs (every owner's for a superuser).
struct ClearRequest {
  Caller caller;
  MSGPACK_DEFINE(caller);
};

struct ClearReply {
  std::int64_t cleared = 0;
  MSGPACK_DEFINE(cleared);
};

// Registers a local job (see kOpMaskInPlace) of the verified caller, running
// in the backend that sent it; answered with JobAccepted. The agent records
// it and never runs anything for it.
struct LocalJobStart {
  Caller caller;
  std::string operation;  // kOpMaskInPlace
  std::string schema;
  std::string table;
  std::string phase;  // what the backend is doing, e.g. "rewriting table"
  MSGPACK_DEFINE(caller, operation, schema, table, phase);
};

// The end of a local job, from the connection that registered it (no caller
// proof: the calling transaction may be aborting). Answered with the job's
// JobFinished.
struct LocalJobEnd {
  std::int64_t job_id = 0;
  std::string status;  // completed | failed | cancelled
  std::string result_text;
  std::int64_t rows = 0;  // shown as rows_copied
  ErrorInfo error;        // when failed or cancelled
  MSGPACK_DEFINE(job_id, status, result_text, rows, error);
};

}  // namespace pgclone::protocol
