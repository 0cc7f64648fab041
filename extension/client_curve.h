#pragma once
// Pure C++ only: how the backend's DEALER socket authenticates to the agent
// (ZeroMQ CURVE with this server's key pair, pgclone.key_file) and notices
// when the agent refuses it. Never included by a file that sees PostgreSQL
// headers.

#include "cxx_only.h"

#include <optional>
#include <string>

#include "agent_client.h"
#include "pgclone/protocol/error_info.h"

namespace pgclone::extension {

// Sets this server's CURVE keys on the DEALER socket. Returns the error, or
// nullopt. The secret key is wiped from our memory once ZeroMQ has it.
std::optional<protocol::ErrorInfo> set_curve_keys(void* socket, const AgentAddress& address);

// A PAIR socket receiving the DEALER's handshake failures, or nullptr when
// ZeroMQ cannot monitor it (a refused key then shows as a timeout).
void* watch_handshakes(void* context, void* socket);

// The first handshake failure the monitor reported, if any, as the error of
// the call to the agent at endpoint.
std::optional<protocol::ErrorInfo> handshake_failure(void* monitor, const std::string& endpoint,
                                                     const std::string& key_file);

}  // namespace pgclone::extension
