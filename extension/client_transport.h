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

// Sends payload without making it the current request (its reply is stale
// by design) on the socket that exists now, for a report that must not wait:
// the end of a local job from an error path or a backend that exits. Like a
// CancelRequest, it is given a short time to leave if the backend exits.
// False when there is no socket or it could not be queued. May throw
// (std::bad_alloc): call it inside a try block.
bool client_send_detached(protocol::MessageKind kind, const std::string& payload);

// The protocol form of a caller.
inline protocol::Caller to_protocol_caller(const CallerFields& fields) {
  return protocol::Caller{fields.database, fields.proof};
}

// A kFailed SendResult for an internal error ("internal error in pgclone: what").
SendResult client_send_error(const char* what) noexcept;

}  // namespace pgclone::extension
