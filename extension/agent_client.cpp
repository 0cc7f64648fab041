// Pure C++: the ZeroMQ client of the extension. See agent_client.h.
#include "cxx_only.h"

#include "agent_client.h"
#include "client_curve.h"
#include "client_transport.h"

#include <pthread.h>
#include <signal.h>
#include <zmq.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <string_view>
#include <vector>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/key_file.h"
#include "pgclone/protocol/messages.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/version.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

// Results live on PostgreSQL stack frames, which longjmp may abandon.
static_assert(std::is_trivially_destructible_v<SendResult> && std::is_trivially_copyable_v<SendResult>,
              "SendResult crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<ReceiveResult> && std::is_trivially_copyable_v<ReceiveResult>,
              "ReceiveResult crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<ClientError> && std::is_trivially_copyable_v<ClientError>,
              "ClientError crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<ClientNotice> && std::is_trivially_copyable_v<ClientNotice>,
              "ClientNotice crosses into the PostgreSQL frame: no destructors allowed");
static_assert(std::is_trivially_destructible_v<CloneRequestFields> && std::is_trivially_copyable_v<CloneRequestFields>,
              "CloneRequestFields crosses into the PostgreSQL frame: no destructors allowed");

// Linger used when a CancelRequest must still leave a backend that is exiting.
constexpr int kExitFlushLingerMs = 300;

// Everything the client owns. Allocated once per backend and never destroyed:
// no static destructor runs at process exit, and nothing here lives on a stack
// frame while PostgreSQL code runs.
struct ClientState {
  void* context = nullptr;
  void* socket = nullptr;
  void* monitor = nullptr;  // PAIR socket receiving the DEALER's handshake failures
  std::string endpoint;     // the socket is connected to this
  std::string credentials;  // ... with these keys (agent public key + key file path)
  std::string key_file;

  std::uint64_t next_request_id = 0;
  std::uint64_t current_request_id = 0;  // 0: none
  bool current_creates_job = false;
  std::int64_t current_job_id = 0;
  bool cancel_sent = false;

  // Storage behind the pointers handed out in results.
  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;
  std::string error_context;
  std::string job_status;
  std::string text;
  std::vector<proto::Notice> notices;
  std::vector<ClientNotice> notice_views;
  std::string payload;  // JobsReply, undecoded
  std::string cancel_database, cancel_schema, cancel_table;  // CancelReply of a local job
};

ClientState* g_state = nullptr;

// Creates the state on first use; may throw std::bad_alloc, so only called
// inside a try block.
ClientState* state() {
  if (g_state == nullptr) g_state = new ClientState();
  return g_state;
}

// Never throws: if the strings cannot be stored, a fixed message is used.
void fill_error(ClientError* out, const char* sqlstate, const std::string& message,
                const std::string& detail = {}, const std::string& hint = {},
                const std::string& context = {}) noexcept {
  std::memset(out->sqlstate, 0, sizeof out->sqlstate);
  try {
    ClientState* s = state();
    s->message = message;
    s->detail = detail;
    s->hint = hint;
    s->error_context = context;
    std::strncpy(out->sqlstate, sqlstate, 5);
    out->message = s->message.c_str();
    out->detail = s->detail.c_str();
    out->hint = s->hint.c_str();
    out->context = s->error_context.c_str();
  } catch (...) {
    std::memcpy(out->sqlstate, proto::sqlstate::kInternalError, 5);
    out->message = "internal error in pgclone: out of memory in the agent client";
    out->detail = out->hint = out->context = "";
  }
}

void fill_error_info(ClientError* out, const proto::ErrorInfo& info) {
  fill_error(out, info.sqlstate.c_str(), info.message, info.detail, info.hint, info.context);
}

ClientError no_error() {
  ClientError e;
  std::memset(e.sqlstate, 0, sizeof e.sqlstate);
  e.message = e.detail = e.hint = e.context = "";
  return e;
}

ReceiveResult empty_receive(ClientStatus status) {
  ReceiveResult r;
  r.status = status;
  r.kind = AgentMessage::kNone;
  r.job_id = 0;
  r.job_status = "";
  r.text = "";
  r.error = no_error();
  r.notice_count = 0;
  r.notices = nullptr;
  r.count = 0;
  r.cancelled = false;
  r.payload = nullptr;
  r.payload_size = 0;
  r.backend_pid = 0;
  r.database_oid = 0;
  r.database = r.schema = r.table = "";
  return r;
}

std::string zmq_reason() { return zmq_strerror(zmq_errno()); }

void close_socket(ClientState* s, int linger_ms) {
  if (s->socket == nullptr) return;
  if (s->monitor != nullptr) {
    zmq_socket_monitor(s->socket, nullptr, 0);
    const int no_linger = 0;
    zmq_setsockopt(s->monitor, ZMQ_LINGER, &no_linger, sizeof no_linger);
    zmq_close(s->monitor);
    s->monitor = nullptr;
  }
  zmq_setsockopt(s->socket, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
  zmq_close(s->socket);
  s->socket = nullptr;
  s->endpoint.clear();
  s->credentials.clear();
}

std::string credentials_of(const AgentAddress& address) {
  return std::string(address.agent_public_key) + '\n' + address.key_file;
}

proto::ErrorInfo connect_error(const char* endpoint, const std::string& reason) {
  return proto::ErrorInfo{proto::sqlstate::kUnableToConnect,
                          std::string("could not connect to pgclone agent at \"") + endpoint + "\": " + reason,
                          "The endpoint must look like tcp://HOST:PORT or ipc:///PATH.",
                          "Check the setting pgclone.agent_endpoint.", ""};
}

// Creates the context (first time) and a connected DEALER socket. The
// context's I/O and reaper threads start with the first socket; all signals
// are blocked meanwhile so PostgreSQL's handlers only ever run on the backend's
// own thread. Returns an empty string on success, else the reason.
std::optional<proto::ErrorInfo> open_socket(ClientState* s, const AgentAddress& address) {
  const char* endpoint = address.endpoint;
  sigset_t all_signals;
  sigset_t previous;
  sigfillset(&all_signals);
  pthread_sigmask(SIG_SETMASK, &all_signals, &previous);

  std::string failure;
  if (s->context == nullptr) {
    s->context = zmq_ctx_new();
    if (s->context == nullptr) failure = "could not create ZeroMQ context: " + zmq_reason();
    else {
      zmq_ctx_set(s->context, ZMQ_BLOCKY, 0);
      zmq_ctx_set(s->context, ZMQ_IO_THREADS, 1);
    }
  }
  if (failure.empty()) {
    s->socket = zmq_socket(s->context, ZMQ_DEALER);
    if (s->socket == nullptr) failure = "could not create ZeroMQ socket: " + zmq_reason();
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (!failure.empty()) return connect_error(endpoint, failure);

  const int linger = 0;
  const std::int64_t max_message = proto::kMaxMessageBytes;
  zmq_setsockopt(s->socket, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(s->socket, ZMQ_MAXMSGSIZE, &max_message, sizeof max_message);
  if (std::optional<proto::ErrorInfo> refused = set_curve_keys(s->socket, address)) {
    close_socket(s, 0);
    return refused;
  }
  s->endpoint = endpoint;
  s->credentials = credentials_of(address);
  s->key_file = address.key_file;
  s->monitor = watch_handshakes(s->context, s->socket);
  if (zmq_connect(s->socket, endpoint) != 0) {
    std::string reason = zmq_reason();
    close_socket(s, 0);
    return connect_error(endpoint, reason);
  }
  return std::nullopt;
}

bool send_frames(ClientState* s, const std::string& tag, const std::string& body) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (zmq_send(s->socket, tag.data(), tag.size(), ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0) {
      for (int again = 0; again < 100; ++again) {
        if (zmq_send(s->socket, body.data(), body.size(), ZMQ_DONTWAIT) >= 0) return true;
        if (zmq_errno() != EINTR) return false;
      }
      return false;
    }
    if (zmq_errno() != EINTR) return false;
  }
  return false;
}

// Connects if needed, then sends env as the new current request.
SendResult send_request(const AgentAddress& address, proto::MessageKind kind, const std::string& payload,
                        bool creates_job) {
  const char* endpoint = address.endpoint;
  SendResult result;
  result.status = ClientStatus::kOk;
  result.request_id = 0;
  result.error = no_error();
  ClientState* s = state();

  if (s->socket != nullptr && (s->endpoint != endpoint || s->credentials != credentials_of(address))) {
    close_socket(s, 0);
  }
  if (s->socket == nullptr) {
    if (std::optional<proto::ErrorInfo> failure = open_socket(s, address)) {
      result.status = ClientStatus::kFailed;
      fill_error_info(&result.error, *failure);
      return result;
    }
  }

  if (s->next_request_id == 0) {
    // Distinct per backend and per socket lifetime; only uniqueness matters.
    s->next_request_id = static_cast<std::uint64_t>(
                             std::chrono::steady_clock::now().time_since_epoch().count()) |
                         1u;
  }
  const std::uint64_t request_id = s->next_request_id++;

  proto::Envelope envelope;
  envelope.protocol_major = proto::kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(kind);
  envelope.request_id = request_id;
  envelope.payload = payload;

  s->current_request_id = request_id;
  s->current_creates_job = creates_job;
  s->current_job_id = 0;
  s->cancel_sent = false;

  if (!send_frames(s, proto::protocol_tag(), proto::encode_envelope(envelope))) {
    std::string reason = zmq_reason();
    s->current_request_id = 0;
    close_socket(s, 0);  // drop whatever is queued; reconnect next time
    result.status = ClientStatus::kFailed;
    fill_error(&result.error, proto::sqlstate::kUnableToConnect,
               std::string("could not send request to pgclone agent at \"") + endpoint + "\": " +
                   reason);
    return result;
  }
  result.request_id = request_id;
  return result;
}

SendResult internal_send_error(const char* what) {
  SendResult result;
  result.status = ClientStatus::kFailed;
  result.request_id = 0;
  result.error = no_error();
  fill_error(&result.error, proto::sqlstate::kInternalError,
             std::string("internal error in pgclone: ") + what);
  return result;
}

// Reads one whole multipart message without blocking. Returns false when none
// is ready (EAGAIN or EINTR) or on error.
bool receive_multipart(void* socket, std::vector<std::string>* frames) {
  frames->clear();
  for (;;) {
    zmq_msg_t part;
    zmq_msg_init(&part);
    int rc;
    for (;;) {
      rc = zmq_msg_recv(&part, socket, ZMQ_DONTWAIT);
      // Once the first frame arrived the rest are there too; retry EINTR then.
      if (rc < 0 && zmq_errno() == EINTR && !frames->empty()) continue;
      break;
    }
    if (rc < 0) {
      zmq_msg_close(&part);
      return false;
    }
    frames->emplace_back(static_cast<const char*>(zmq_msg_data(&part)), zmq_msg_size(&part));
    const bool more = zmq_msg_more(&part) != 0;
    zmq_msg_close(&part);
    if (!more) return true;
    if (frames->size() > 8) {  // not ours; drain the rest of it and drop it
      zmq_msg_t rest;
      zmq_msg_init(&rest);
      while (zmq_msg_recv(&rest, socket, ZMQ_DONTWAIT) >= 0 && zmq_msg_more(&rest)) {
      }
      zmq_msg_close(&rest);
      frames->clear();
      return true;
    }
  }
}

bool socket_readable(void* socket) {
  int events = 0;
  size_t size = sizeof events;
  if (zmq_getsockopt(socket, ZMQ_EVENTS, &events, &size) != 0) return false;  // EINTR too
  return (events & ZMQ_POLLIN) != 0;
}

enum class Decoded { kStale, kMessage, kError };

// Decodes one received message into *out. Stale and empty messages are kStale.
Decoded decode(ClientState* s, const std::vector<std::string>& raw_frames, ReceiveResult* out) {
  // [tag, body]; tolerate a leading empty delimiter frame (REQ-style peers).
  std::size_t first = 0;
  while (first < raw_frames.size() && raw_frames[first].empty()) ++first;
  if (raw_frames.size() - first != 2) return Decoded::kStale;
  const std::string& tag = raw_frames[first];
  const std::string& body = raw_frames[first + 1];

  proto::check_protocol_tag(tag);  // throws ProtocolError naming both versions
  proto::Envelope envelope = proto::decode_envelope(body);
  if (s->current_request_id == 0 || envelope.request_id != s->current_request_id) {
    return Decoded::kStale;  // a reply to an abandoned call
  }

  *out = empty_receive(ClientStatus::kOk);
  switch (envelope.message_kind()) {
    case proto::MessageKind::kStatusReply: {
      auto reply = proto::unpack_payload<proto::StatusReply>(envelope);
      s->text = std::move(reply.json);
      out->kind = AgentMessage::kStatusReply;
      out->text = s->text.c_str();
      s->current_request_id = 0;
      return Decoded::kMessage;
    }
    case proto::MessageKind::kJobAccepted: {
      auto accepted = proto::unpack_payload<proto::JobAccepted>(envelope);
      s->current_job_id = accepted.job_id;
      out->kind = AgentMessage::kJobAccepted;
      out->job_id = accepted.job_id;
      return Decoded::kMessage;
    }
    case proto::MessageKind::kJobProgress: {
      auto progress = proto::unpack_payload<proto::JobProgress>(envelope);
      if (s->current_job_id == 0) s->current_job_id = progress.job_id;
      s->job_status = std::move(progress.status);
      out->kind = AgentMessage::kJobProgress;
      out->job_id = progress.job_id;
      out->job_status = s->job_status.c_str();
      return Decoded::kMessage;
    }
    case proto::MessageKind::kJobFinished: {
      auto finished = proto::unpack_payload<proto::JobFinished>(envelope);
      s->job_status = std::move(finished.status);
      s->text = std::move(finished.result_text);
      s->notices = std::move(finished.notices);
      s->notice_views.clear();
      for (const proto::Notice& n : s->notices) {
        s->notice_views.push_back(ClientNotice{n.level.c_str(), n.message.c_str(), n.detail.c_str()});
      }
      out->kind = AgentMessage::kJobFinished;
      out->job_id = finished.job_id;
      out->job_status = s->job_status.c_str();
      out->text = s->text.c_str();
      fill_error_info(&out->error, finished.error);
      out->notice_count = static_cast<int>(s->notice_views.size());
      out->notices = s->notice_views.empty() ? nullptr : s->notice_views.data();
      s->current_request_id = 0;
      return Decoded::kMessage;
    }
    case proto::MessageKind::kCancelReply: {
      auto reply = proto::unpack_payload<proto::CancelReply>(envelope);
      s->text = std::move(reply.message);
      s->cancel_database = std::move(reply.database);
      s->cancel_schema = std::move(reply.schema);
      s->cancel_table = std::move(reply.table);
      out->kind = AgentMessage::kCancelReply;
      out->cancelled = reply.cancelled;
      out->text = s->text.c_str();
      out->backend_pid = reply.backend_pid;
      out->database_oid = reply.database_oid;
      out->database = s->cancel_database.c_str();
      out->schema = s->cancel_schema.c_str();
      out->table = s->cancel_table.c_str();
      s->current_request_id = 0;
      return Decoded::kMessage;
    }
    case proto::MessageKind::kJobsReply: {
      s->payload = std::move(envelope.payload);  // decoded by job_client.cpp
      out->kind = AgentMessage::kJobsReply;
      out->payload = s->payload.data();
      out->payload_size = s->payload.size();
      s->current_request_id = 0;
      return Decoded::kMessage;
    }
    case proto::MessageKind::kClearReply: {
      auto reply = proto::unpack_payload<proto::ClearReply>(envelope);
      out->kind = AgentMessage::kClearReply;
      out->count = reply.cleared;
      s->current_request_id = 0;
      return Decoded::kMessage;
    }
    case proto::MessageKind::kErrorReply: {
      auto error = proto::unpack_payload<proto::ErrorInfo>(envelope);
      out->kind = AgentMessage::kErrorReply;
      fill_error_info(&out->error, error);
      s->current_request_id = 0;
      return Decoded::kMessage;
    }
    default:
      break;
  }
  fill_error(&out->error, proto::sqlstate::kProtocolViolation,
             "unexpected message kind " + std::to_string(envelope.kind) +
                 " from pgclone agent at \"" + s->endpoint + "\"");
  return Decoded::kError;
}

ReceiveResult try_receive_impl() {
  ClientState* s = state();
  if (s->socket == nullptr) return empty_receive(ClientStatus::kNothingYet);
  if (std::optional<proto::ErrorInfo> failure = handshake_failure(s->monitor, s->endpoint, s->key_file)) {
    ReceiveResult result = empty_receive(ClientStatus::kFailed);
    fill_error_info(&result.error, *failure);
    return result;
  }
  std::vector<std::string> frames;
  // Re-read ZMQ_EVENTS every time: the ZMQ_FD is edge-triggered.
  while (socket_readable(s->socket)) {
    if (!receive_multipart(s->socket, &frames)) break;
    ReceiveResult result = empty_receive(ClientStatus::kOk);
    try {
      switch (decode(s, frames, &result)) {
        case Decoded::kStale: continue;
        case Decoded::kMessage: return result;
        case Decoded::kError:
          result.status = ClientStatus::kFailed;
          return result;
      }
    } catch (const proto::ProtocolError& e) {
      result = empty_receive(ClientStatus::kFailed);
      fill_error(&result.error, e.sqlstate.c_str(),
                 std::string("invalid message from pgclone agent at \"") + s->endpoint +
                     "\": " + e.what(),
                 {}, "Make sure the agent and the extension are the same pgclone version.");
      return result;
    }
  }
  return empty_receive(ClientStatus::kNothingYet);
}

}  // namespace

SendResult client_send_payload(const AgentAddress& address, proto::MessageKind kind,
                               const std::string& payload, bool creates_job) {
  return send_request(address, kind, payload, creates_job);
}

SendResult client_send_error(const char* what) noexcept {
  try {
    return internal_send_error(what);
  } catch (...) {
    SendResult result;
    result.status = ClientStatus::kFailed;
    result.request_id = 0;
    result.error = no_error();
    std::memcpy(result.error.sqlstate, proto::sqlstate::kInternalError, 5);
    result.error.message = "internal error in pgclone: out of memory in the agent client";
    return result;
  }
}

namespace {

// Sends a message that is not the current request: its reply is stale by
// design. cancel_sent makes client_close give it time to leave.
bool send_detached(ClientState* s, proto::MessageKind kind, const std::string& payload) {
  proto::Envelope envelope;
  envelope.protocol_major = proto::kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(kind);
  envelope.request_id = s->next_request_id++;
  envelope.payload = payload;
  const bool sent = send_frames(s, proto::protocol_tag(), proto::encode_envelope(envelope));
  if (sent) s->cancel_sent = true;
  return sent;
}

bool send_cancel(ClientState* s, std::int64_t job_id, std::uint64_t request_id) {
  proto::CancelRequest cancel;
  cancel.job_id = job_id;
  cancel.request_id = request_id;
  return send_detached(s, proto::MessageKind::kCancelRequest, proto::pack_payload(cancel));
}

}  // namespace

bool client_send_detached(proto::MessageKind kind, const std::string& payload) {
  ClientState* s = state();
  if (s->socket == nullptr) return false;
  return send_detached(s, kind, payload);
}

bool client_send_cancel(std::int64_t job_id) noexcept {
  try {
    ClientState* s = state();
    if (s->socket == nullptr || job_id <= 0) return false;
    return send_cancel(s, job_id, 0);
  } catch (...) {
    return false;
  }
}

bool client_cancel_unaccepted() noexcept {
  try {
    ClientState* s = state();
    if (s->socket == nullptr || s->current_request_id == 0 || !s->current_creates_job) {
      return false;
    }
    if (s->current_job_id > 0) return send_cancel(s, s->current_job_id, 0);
    return send_cancel(s, 0, s->current_request_id);
  } catch (...) {
    return false;
  }
}

int client_wait_fd() noexcept {
  ClientState* s = g_state;
  if (s == nullptr || s->socket == nullptr) return -1;
  int fd = -1;
  size_t size = sizeof fd;
  if (zmq_getsockopt(s->socket, ZMQ_FD, &fd, &size) != 0) return -1;
  return fd;
}

ReceiveResult client_try_receive() noexcept {
  try {
    return try_receive_impl();
  } catch (const std::exception& e) {
    ReceiveResult result = empty_receive(ClientStatus::kFailed);
    fill_error(&result.error, proto::sqlstate::kInternalError,
               std::string("internal error in pgclone: ") + e.what());
    return result;
  } catch (...) {
    ReceiveResult result = empty_receive(ClientStatus::kFailed);
    fill_error(&result.error, proto::sqlstate::kInternalError,
               "internal error in pgclone: unknown exception");
    return result;
  }
}

void client_abandon(bool drop_socket) noexcept {
  ClientState* s = g_state;
  if (s == nullptr) return;
  s->current_request_id = 0;
  s->current_job_id = 0;
  if (drop_socket) close_socket(s, 0);
}

void client_close() noexcept {
  ClientState* s = g_state;
  if (s == nullptr || s->socket == nullptr) return;
  if (s->cancel_sent) {
    // The process is exiting right after a CancelRequest: let it leave. The
    // context's only socket is closed first, so zmq_ctx_term returns within
    // the linger time instead of hanging.
    close_socket(s, kExitFlushLingerMs);
    zmq_ctx_term(s->context);  // EINTR: give up, the process exits anyway
    s->context = nullptr;
    return;
  }
  close_socket(s, 0);
}

}  // namespace pgclone::extension
