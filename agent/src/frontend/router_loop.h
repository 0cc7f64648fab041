#pragma once
// The agent's front end: one thread owning the ROUTER socket. It answers
// requests, relays worker messages from the outbox, sends heartbeats, and on
// SIGTERM/SIGINT stops the jobs and exits cleanly.

#include <string>

#include "frontend/outbox.h"
#include "frontend/request_handler.h"
#include "jobs/job_manager.h"

namespace pgclone::agent::frontend {

struct RouterLoopConfig {
  std::string endpoint;
  int signal_fd = -1;  // signalfd for SIGTERM/SIGINT (those signals blocked in every thread)
};

class RouterLoop {
 public:
  RouterLoop(RouterLoopConfig config, jobs::JobManager& manager, Outbox& outbox);
  // Binds, serves until a stop signal, then shuts the job manager down and
  // flushes the final messages. Throws on bind failure.
  void run();

 private:
  RouterLoopConfig config_;
  jobs::JobManager& manager_;
  Outbox& outbox_;
  RequestHandler handler_;
};

}  // namespace pgclone::agent::frontend
