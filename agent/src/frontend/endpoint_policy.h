#pragma once
// Which endpoints the agent may listen on without being told explicitly that
// remote hosts may reach it.

#include <string>

namespace pgclone::agent::frontend {

// True for ipc:// and inproc:// and for tcp:// on a loopback address.
bool is_local_endpoint(const std::string& endpoint);

// Throws std::runtime_error for a non-local endpoint unless allow_remote.
void check_endpoint_policy(const std::string& endpoint, bool allow_remote);

}  // namespace pgclone::agent::frontend
