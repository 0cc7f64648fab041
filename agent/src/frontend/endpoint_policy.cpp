#include "frontend/endpoint_policy.h"

#include <stdexcept>

namespace pgclone::agent::frontend {

bool is_local_endpoint(const std::string& endpoint) {
  if (endpoint.rfind("ipc://", 0) == 0 || endpoint.rfind("inproc://", 0) == 0) return true;
  if (endpoint.rfind("tcp://", 0) != 0) return false;
  const std::string rest = endpoint.substr(6);
  std::string host;
  if (!rest.empty() && rest[0] == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string::npos) return false;
    host = rest.substr(1, close - 1);
  } else {
    host = rest.substr(0, rest.rfind(':'));
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void check_endpoint_policy(const std::string& endpoint, bool allow_remote) {
  if (is_local_endpoint(endpoint) || allow_remote) return;
  throw std::runtime_error("refusing to listen on " + endpoint +
                           ": it is reachable from other hosts and requests are not authenticated; "
                           "use a loopback or ipc:// endpoint, or pass --allow-remote");
}

}  // namespace pgclone::agent::frontend
