#pragma once
// What the metrics endpoint shows: of a coordinator (or a single agent), its
// jobs and, with --worker-listen, its worker agents; of a worker agent, its
// slots and tasks.

#include <atomic>
#include <cstdint>
#include <string>

#include "cluster/worker_hub.h"
#include "jobs/job_manager.h"

namespace pgclone::agent::ops {

// hub may be null (no --worker-listen).
std::string coordinator_metrics(const jobs::JobManager& manager, const cluster::WorkerHub* hub);

struct WorkerAgentCounters {
  std::atomic<int> slots{0};
  std::atomic<int> busy{0};
  std::atomic<bool> joined{false};
  std::atomic<std::int64_t> tasks_done{0};
  std::atomic<std::int64_t> tasks_failed{0};
  std::atomic<std::int64_t> rows_copied{0};
};

std::string worker_agent_metrics(const WorkerAgentCounters& counters);

}  // namespace pgclone::agent::ops
