#pragma once
// Decodes one request from an authenticated peer and answers it. Kept apart
// from the socket loop so every path, malformed input included, is
// unit-testable.
//
// Trust: the peer's CURVE key says which enrolled server sent the request;
// every request that acts for a role (all but the status request, and a
// cancel of a job by the connection that submitted it) is answered only once
// the caller has been verified on the agent's own connection to that server
// (trust/caller_verifier.h). Nothing a request claims about who sent it is
// believed.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jobs/job_manager.h"
#include "pgclone/protocol/messages.h"
#include "trust/caller_verifier.h"
#include "trust/enrolment.h"
#include "util/throttled_log.h"

namespace pgclone::agent::frontend {

struct RequestHandlerDeps {
  // Verifies a caller; calls done (on any thread) unless it returns false
  // because too many verifications are queued.
  std::function<bool(const trust::EnrolledServer&, const protocol::Caller&, trust::CallerVerifier::Done)> verify;
  // The current enrolment (replaced on reload).
  std::function<std::shared_ptr<const trust::Enrolment>()> enrolment;
  // Delivers a reply that is ready only after verification.
  std::function<void(const std::string& identity, std::string body)> reply_later;
};

class RequestHandler {
 public:
  RequestHandler(jobs::JobManager& manager, std::string endpoint, RequestHandlerDeps deps);

  // frames: the message after the ROUTER's identity frame (tag, body);
  // client_key: the peer's CURVE public key (ZeroMQ's User-Id). Returns the
  // encoded reply body, or "" when there is none yet (it comes through
  // reply_later) or the message is dropped.
  std::string handle(const std::string& identity, const std::string& client_key,
                     const std::vector<std::string>& frames);

  // While shutting down, new clone requests are refused.
  void set_shutting_down() { shutting_down_ = true; }

 private:
  std::string handle_envelope(const std::string& identity, const trust::EnrolledServer& server,
                              const protocol::Envelope& envelope);
  // What a request does once its caller is verified: the encoded reply.
  using Action = std::function<std::string(const jobs::JobOwner& caller)>;
  std::string verify_then(const std::string& identity, const trust::EnrolledServer& server,
                          std::uint64_t request_id, const protocol::Caller& caller, Action act);
  std::string status_json(const std::string& server) const;

  jobs::JobManager& manager_;
  const std::string endpoint_;
  const RequestHandlerDeps deps_;
  const std::chrono::steady_clock::time_point started_;
  std::atomic<bool> shutting_down_{false};
  log::Throttle rejections_;  // malformed messages: a flood must not fill the log
};

// An encoded error reply for the given request.
std::string encode_error_reply(std::uint64_t request_id, const protocol::ErrorInfo& error);

// Runs make_reply, turning any exception into the error reply it stands for.
std::string guarded_reply(std::uint64_t request_id, const std::function<std::string()>& make_reply);

}  // namespace pgclone::agent::frontend
