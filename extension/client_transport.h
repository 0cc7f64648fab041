#pragma once
// Pure C++ only: the agent client's send path for the other pure C++ request
// builders of the extension (job_client.cpp). Never included by a file that
// sees PostgreSQL headers.

#include "cxx_only.h"

#include <string>

#include "agent_client.h"
#include "pgclone/protocol/messages.h"

namespace pgclone::extension {

// Sends payload (msgpack of the kind's struct) as the new current request,
// connecting first when needed. May throw (std::bad_alloc): call it inside a
// try block.
SendResult client_send_payload(const AgentAddress& address, protocol::MessageKind kind,
                               const std::string& payload, bool creates_job);

// The protocol form of a caller.
inline protocol::Caller to_protocol_caller(const CallerFields& fields) {
  return protocol::Caller{fields.database, fields.proof};
}

// A kFailed SendResult for an internal error ("internal error in pgclone: what").
SendResult client_send_error(const char* what) noexcept;

}  // namespace pgclone::extension
