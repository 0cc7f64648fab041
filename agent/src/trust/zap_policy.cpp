#include "trust/zap_policy.h"

#include <zmq.h>

#include <cstdlib>

#include "pgclone/protocol/key_file.h"

namespace pgclone::agent::trust {

long ipc_peer_uid(const std::string& address) {
  // libzmq formats an ipc peer as "<host>:<uid>:<gid>:<pid>" from SO_PEERCRED.
  const std::size_t first = address.find(':');
  if (first == std::string::npos) return -1;
  const std::size_t second = address.find(':', first + 1);
  if (second == std::string::npos) return -1;
  const std::string uid = address.substr(first + 1, second - first - 1);
  if (uid.empty() || uid.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::strtol(uid.c_str(), nullptr, 10);
}

namespace {

// The client's public key in Z85, or "" with *refusal set.
std::string curve_client_key(const ZapRequest& request, ZapDecision* refusal) {
  if (request.mechanism != "CURVE") {
    *refusal = {false, "CURVE authentication is required", ""};
    return "";
  }
  if (request.credentials.size() != 1 || request.credentials[0].size() != 32) {
    *refusal = {false, "malformed CURVE credentials", ""};
    return "";
  }
  char key[protocol::kCurveKeyLength + 1] = {};
  if (zmq_z85_encode(key, reinterpret_cast<const std::uint8_t*>(request.credentials[0].data()), 32) == nullptr) {
    *refusal = {false, "malformed CURVE credentials", ""};
    return "";
  }
  return key;
}

}  // namespace

ZapDecision decide_worker(const ZapRequest& request, const std::set<std::string>& worker_keys) {
  ZapDecision refusal;
  const std::string key = curve_client_key(request, &refusal);
  if (key.empty()) return refusal;
  if (!worker_keys.count(key)) return {false, "public key " + key + " is not a listed worker key", ""};
  return {true, "worker", key};
}

ZapDecision decide(const ZapRequest& request, const Enrolment& enrolment, const std::set<unsigned>& allowed_ipc_uids) {
  ZapDecision refusal;
  const std::string key = curve_client_key(request, &refusal);
  if (key.empty()) return refusal;
  const EnrolledServer* server = enrolment.by_key(key);
  if (server == nullptr) return {false, "public key " + std::string(key) + " is not enrolled", ""};
  const long uid = ipc_peer_uid(request.address);
  if (uid >= 0 && !allowed_ipc_uids.empty() && !allowed_ipc_uids.count(static_cast<unsigned>(uid))) {
    return {false, "ipc peer uid " + std::to_string(uid) + " is not allowed", ""};
  }
  return {true, "server " + server->name, key};
}

}  // namespace pgclone::agent::trust
