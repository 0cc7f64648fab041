#pragma once
// pgclone-agent --join: a worker agent. It connects to a coordinator's
// worker endpoint (CURVE: it knows the coordinator's public key, and its own
// key must be listed in the coordinator's --worker-keys), offers its slots,
// and runs the table loads it is handed, each in its own thread with its own
// source session (importing the coordinator's snapshot) and target session.
// It keeps no state of its own: a task it was running when it lost the
// coordinator is stopped (it rolls back), and the coordinator redoes it.

#include <memory>
#include <string>

#include "ops/agent_metrics.h"
#include "pgclone/protocol/key_file.h"
#include "trust/enrolment.h"

namespace pgclone::agent::cluster {

struct WorkerAgentConfig {
  std::string coordinator;             // --join endpoint
  std::string coordinator_public_key;  // --coordinator-key (Z85)
  protocol::CurveKeyPair key;          // the worker's own (--key)
  std::string name;                    // --worker-name
  int slots = 4;                       // --workers
  std::string servers_file;            // --servers: how this host logs in to each enrolled server
  int signal_fd = -1;                  // SIGTERM drains, SIGINT stops, SIGHUP reloads --servers
  std::string config_file;             // --config: SIGHUP reads its log-level again
  ops::WorkerAgentCounters* counters = nullptr;  // for the metrics endpoint; may be null
};

// Runs until a stop signal. SIGTERM drains: no new tasks, the running ones
// finish, then it returns; a second SIGTERM (or SIGINT) stops them.
void run_worker_agent(const WorkerAgentConfig& config, std::shared_ptr<const trust::Enrolment> enrolment);

}  // namespace pgclone::agent::cluster
