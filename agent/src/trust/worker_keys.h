#pragma once
// The worker agents a coordinator admits (--worker-keys): a text file of
// CURVE public keys, one per line (made by `pgclone-agent keygen`; the
// worker's private half stays on its host), optionally followed by a blank
// and a label; a line starting with '#' is a comment ('#' inside a key is
// one of Z85's characters). Anybody
// who may write this file may add a worker, and a worker receives the
// callers' source connection strings: the file must be writable by its owner
// only.

#include <set>
#include <string>

namespace pgclone::agent::trust {

// The ZAP domain of the coordinator's worker endpoint.
inline constexpr const char* kWorkerZapDomain = "pgclone-workers";

// Throws std::runtime_error naming the path and line (never a secret: the
// file holds public keys only).
std::set<std::string> load_worker_keys(const std::string& path);

}  // namespace pgclone::agent::trust
