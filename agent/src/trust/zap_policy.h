#pragma once
// Who may open a connection to the agent, decided for ZeroMQ's ZAP handler:
// a CURVE client whose public key an enrolled server owns, and, on an ipc://
// endpoint, only from an allowed OS user (the kernel reports the peer's uid).

#include <set>
#include <string>
#include <vector>

#include "trust/enrolment.h"

namespace pgclone::agent::trust {

// The frames of a ZAP request (RFC 27) that matter here.
struct ZapRequest {
  std::string address;    // "127.0.0.1", or "localhost:UID:GID:PID" for ipc://
  std::string mechanism;  // "CURVE", "NULL", "PLAIN"
  std::vector<std::string> credentials;
  std::string domain = "pgclone";  // the socket's ZAP domain: which endpoint is being joined
};

struct ZapDecision {
  bool allowed = false;
  std::string status_text;  // why, for the peer and the log
  std::string user_id;      // the client's public key (Z85) when allowed
};

// allowed_ipc_uids empty: any uid (the socket file's mode and group decide).
ZapDecision decide(const ZapRequest& request, const Enrolment& enrolment, const std::set<unsigned>& allowed_ipc_uids);

// The coordinator's worker endpoint: a CURVE client whose public key is in
// worker_keys (--worker-keys).
ZapDecision decide_worker(const ZapRequest& request, const std::set<std::string>& worker_keys);

// The uid in an ipc:// peer address, or -1 when there is none.
long ipc_peer_uid(const std::string& address);

}  // namespace pgclone::agent::trust
