#pragma once
// Establishes who is calling, on the agent's own connection to the calling
// database (never from the request's say-so): the backend holding the
// request's proof locks (protocol/caller_proof.h) is found in pg_locks, and
// its role and rolsuper are read from the catalog. Runs on a few threads of
// its own so a slow server never stalls the front end.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_owner.h"
#include "pg/connection.h"
#include "pgclone/protocol/error_info.h"
#include "pgclone/protocol/messages.h"
#include "trust/enrolment.h"

namespace pgclone::agent::trust {

// Verifies caller against server on a login of its own (not kept: an idle
// session would hold up DROP DATABASE). Throws pg::PgError: 28000 when no
// session holds the proof, 08001 when the server cannot be reached, 08P01 for
// a malformed proof or database name.
jobs::JobOwner verify_caller(const EnrolledServer& server, const protocol::Caller& caller);

class CallerVerifier {
 public:
  // Called on a verifier thread with the verified owner, or with error set.
  using Done = std::function<void(const jobs::JobOwner* owner, const protocol::ErrorInfo& error)>;

  CallerVerifier(int threads, std::size_t max_queued);
  ~CallerVerifier();
  CallerVerifier(const CallerVerifier&) = delete;
  CallerVerifier& operator=(const CallerVerifier&) = delete;

  // False (and done is not called) when max_queued verifications wait already.
  bool submit(EnrolledServer server, protocol::Caller caller, Done done);

 private:
  struct Task {
    EnrolledServer server;
    protocol::Caller caller;
    Done done;
  };
  void run();

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pgclone::agent::trust
