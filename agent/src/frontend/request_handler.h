#pragma once
// Decodes one request from a backend and answers it. Kept apart from the
// socket loop so every path, malformed input included, is unit-testable.

#include <chrono>
#include <string>
#include <vector>

#include "jobs/job_manager.h"
#include "pgclone/protocol/messages.h"

namespace pgclone::agent::frontend {

class RequestHandler {
 public:
  RequestHandler(jobs::JobManager& manager, std::string endpoint);

  // frames: the message after the ROUTER's identity frame (tag, body).
  // Returns the encoded reply body, or "" when the message is to be dropped.
  std::string handle(const std::string& identity, const std::vector<std::string>& frames);

  // While shutting down, new clone requests are refused.
  void set_shutting_down() { shutting_down_ = true; }

 private:
  std::string handle_envelope(const std::string& identity, const protocol::Envelope& envelope);
  std::string status_json() const;

  jobs::JobManager& manager_;
  const std::string endpoint_;
  const std::chrono::steady_clock::time_point started_;
  bool shutting_down_ = false;
};

// An encoded error reply for the given request.
std::string encode_error_reply(std::uint64_t request_id, const protocol::ErrorInfo& error);

}  // namespace pgclone::agent::frontend
