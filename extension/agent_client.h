#pragma once
// The backend's ZeroMQ client for pgclone-agent: one lazily created context and
// DEALER socket per backend, request ids, non-blocking receive.
//
// This header is included from both sides of the boundary, so it declares only
// plain structs and noexcept functions and includes nothing but <cstdint>.
// Every string a result points to is owned by the client and stays valid until
// the next call into the client; the PostgreSQL frame copies what it keeps. No
// entry point throws, allocates with palloc or calls PostgreSQL.

#include <cstdint>

namespace pgclone::extension {

enum class ClientStatus : int {
  kOk = 0,         // a message (or a sent request) is in the result
  kNothingYet = 1, // nothing to read right now (also: interrupted by a signal)
  kFailed = 2,     // the client failed; error says why
};

// Mirrors protocol::MessageKind for the agent -> extension direction.
enum class AgentMessage : int {
  kNone = 0,
  kStatusReply = 20,
  kJobAccepted = 21,
  kJobProgress = 22,
  kJobFinished = 23,
  kCancelReply = 24,
  kJobsReply = 25,
  kClearReply = 26,
  kErrorReply = 30,
};

// A PostgreSQL-style error. Pointers are never null ("" when absent).
struct ClientError {
  char sqlstate[6];  // five characters and a NUL
  const char* message;
  const char* detail;
  const char* hint;
  const char* context;
};

struct ClientNotice {
  const char* level;  // "notice" or "warning"
  const char* message;
  const char* detail;
};

struct SendResult {
  ClientStatus status;  // kOk or kFailed
  std::uint64_t request_id;
  ClientError error;  // when kFailed
};

struct ReceiveResult {
  ClientStatus status;
  AgentMessage kind;        // when kOk
  std::int64_t job_id;      // JobAccepted, JobProgress, JobFinished
  const char* job_status;   // JobProgress / JobFinished status ("" otherwise)
  const char* text;         // StatusReply.json, JobFinished.result_text or
                            // CancelReply.message ("" otherwise)
  ClientError error;        // ErrorReply, JobFinished error, or the client's own failure
  int notice_count;         // JobFinished notices
  const ClientNotice* notices;
  std::int64_t count;       // ClearReply.cleared
  bool cancelled;           // CancelReply.cancelled
  // JobsReply: the undecoded msgpack payload, for job_client.h's decoders.
  const char* payload;
  std::uint64_t payload_size;
  // CancelReply of a running local job (mask_in_place): the backend that runs
  // it, its database, and the table it masks. backend_pid 0 otherwise.
  int backend_pid;
  std::int64_t database_oid;
  const char* database;
  const char* schema;
  const char* table;
};

// Where the agent is and how this server authenticates to it (ZeroMQ CURVE).
// Pointers must not be null.
struct AgentAddress {
  const char* endpoint;          // pgclone.agent_endpoint
  const char* agent_public_key;  // pgclone.agent_public_key (Z85)
  const char* key_file;          // pgclone.key_file: this server's key pair
};

// The calling backend as the agent checks it (protocol::Caller, see
// protocol/caller_proof.h). Pointers must not be null.
struct CallerFields {
  const char* database;  // current database
  const char* proof;     // 64 hex digits whose hash this backend holds as locks
};

// CloneRequest operations (equal to protocol::kOp*, checked in agent_client.cpp).
inline constexpr const char* kOperationTable = "table";
inline constexpr const char* kOperationSchema = "schema";
inline constexpr const char* kOperationFunctions = "functions";
inline constexpr const char* kOperationDatabase = "database";
inline constexpr const char* kOperationDatabaseCreate = "database_create";
inline constexpr const char* kOperationDiscover = "discover_sensitive";
inline constexpr const char* kOperationDiff = "diff";
inline constexpr const char* kOperationPreflight = "preflight";
inline constexpr const char* kOperationRoles = "clone_roles";
inline constexpr const char* kOperationTableSample = "table_sample";
inline constexpr const char* kOperationSchemaSample = "schema_sample";
inline constexpr const char* kOperationVerify = "verify";

// Fields of a CloneRequest (see protocol/messages.h). Pointers must not be
// null; empty strings are fine.
struct CloneRequestFields {
  const char* operation;
  const char* source_conninfo;
  CallerFields caller;
  const char* schema;
  const char* table;
  const char* target_table;  // "" = same as table
  bool include_data;
  const char* options_json;
  bool wait;
  const char* target_database;  // database_create only; "" otherwise
  std::int64_t caller_lock_timeout_ms;  // the caller's lock_timeout setting
  const char* source_server;            // a named source's server; "" for a conninfo
  const char* role_names;               // clone_roles: comma-separated role names; "" or null for all
};

// Sends a request to the agent at address (connecting, or reconnecting when
// the address or keys changed, first) and makes it the current request:
// replies carrying any other request id are discarded from now on.
SendResult client_send_status_request(const AgentAddress& address) noexcept;
SendResult client_send_clone_request(const AgentAddress& address, const CloneRequestFields& request) noexcept;

// Fire-and-forget CancelRequest for job_id, a job this connection started
// (the agent honours it without a caller proof). Returns false when it could
// not even be queued.
bool client_send_cancel(std::int64_t job_id) noexcept;

// For a job-creating request abandoned before its JobAccepted arrived: asks
// the agent to cancel whatever job the current request started. ZeroMQ keeps
// the order of one connection's messages, so the agent sees the request first.
bool client_cancel_unaccepted() noexcept;

// The socket's ZMQ_FD for WaitLatchOrSocket; -1 when there is no socket.
int client_wait_fd() noexcept;

// Non-blocking: re-reads ZMQ_EVENTS, then returns the next message for the
// current request, discarding stale ones. A final reply (StatusReply,
// JobFinished, CancelReply, JobsReply, ClearReply, ErrorReply) ends the
// current request; JobAccepted does not (the caller decides, see
// client_abandon).
ReceiveResult client_try_receive() noexcept;

// Forgets the current request. With drop_socket, also closes the socket with
// linger 0 so a request that was never delivered (agent down) cannot reach an
// agent that starts later; the next request reconnects.
void client_abandon(bool drop_socket) noexcept;

// For a before_shmem_exit callback: closes the socket. If a CancelRequest was
// just sent it is given a short, bounded time to leave (linger, then context
// termination, which is safe because the only socket is closed); otherwise
// linger 0 and the context is left alone (see TOOLCHAIN.md).
void client_close() noexcept;

}  // namespace pgclone::extension
