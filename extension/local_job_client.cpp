// Pure C++: local job requests. See local_job_client.h.
#include "cxx_only.h"

#include "local_job_client.h"

#include <exception>
#include <string>
#include <type_traits>

#include "client_transport.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/messages.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

static_assert(std::is_trivially_destructible_v<LocalJobEndFields> && std::is_trivially_copyable_v<LocalJobEndFields>,
              "LocalJobEndFields crosses into the PostgreSQL frame: no destructors allowed");

std::string end_payload(const LocalJobEndFields& fields) {
  proto::LocalJobEnd end;
  end.job_id = fields.job_id;
  end.status = fields.status;
  end.result_text = fields.result_text;
  end.rows = fields.rows;
  end.error.sqlstate = fields.sqlstate;
  end.error.message = fields.message;
  end.error.detail = fields.detail;
  end.error.hint = fields.hint;
  return proto::pack_payload(end);
}

}  // namespace

SendResult client_send_local_job_start(const AgentAddress& address, const CallerFields& caller,
                                       const char* operation, const char* schema, const char* table,
                                       const char* phase) noexcept {
  try {
    proto::LocalJobStart start;
    start.caller = to_protocol_caller(caller);
    start.operation = operation;
    start.schema = schema;
    start.table = table;
    start.phase = phase;
    // Not a job the agent runs: abandoning the request cancels nothing.
    return client_send_payload(address, proto::MessageKind::kLocalJobStart, proto::pack_payload(start), false);
  } catch (const std::exception& e) {
    return client_send_error(e.what());
  } catch (...) {
    return client_send_error("unknown exception");
  }
}

SendResult client_send_local_job_end(const AgentAddress& address, const LocalJobEndFields& end) noexcept {
  try {
    return client_send_payload(address, proto::MessageKind::kLocalJobEnd, end_payload(end), false);
  } catch (const std::exception& e) {
    return client_send_error(e.what());
  } catch (...) {
    return client_send_error("unknown exception");
  }
}

bool client_send_local_job_end_detached(const LocalJobEndFields& end) noexcept {
  try {
    return client_send_detached(proto::MessageKind::kLocalJobEnd, end_payload(end));
  } catch (...) {
    return false;
  }
}

}  // namespace pgclone::extension
