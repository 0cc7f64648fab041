#pragma once
// The coordinator's side of its worker agents: one thread owning the ROUTER
// socket of --worker-listen. It admits workers (CURVE keys listed in
// --worker-keys, checked by the ZAP handler in domain kWorkerZapDomain),
// counts their slots, hands them tasks (never more than their free slots:
// credit), relays their progress into the jobs, and notices a worker that
// falls silent: its tasks end as lost, for the caller to redo elsewhere.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "frontend/outbox.h"
#include "jobs/job.h"
#include "pgclone/protocol/key_file.h"
#include "pgclone/protocol/worker_messages.h"
#include "trust/worker_keys.h"

namespace pgclone::agent::cluster {

using trust::kWorkerZapDomain;

struct WorkerHubConfig {
  std::string endpoint;             // --worker-listen
  protocol::CurveKeyPair key;       // the coordinator's (the agent's --key)
  std::string name;                 // the coordinator's, sent in the welcome
  std::chrono::milliseconds heartbeat{500};
  std::chrono::milliseconds timeout{3000};  // silence after which a worker is lost
};

// One joined worker, as agent_status() and the metrics show it.
struct WorkerStatus {
  std::string name;
  std::string address;  // the peer's IP address
  int slots = 0;
  int busy = 0;
  bool draining = false;
  std::int64_t tasks_done = 0;
  std::int64_t tasks_failed = 0;
  std::int64_t last_heartbeat_ms_ago = 0;
};

struct HubCounters {
  std::int64_t tasks_retried = 0;   // lost with their worker and redone
  std::int64_t workers_lost = 0;
};

enum class RemoteEnd { kDone, kFailed, kLost };

struct RemoteOutcome {
  RemoteEnd end = RemoteEnd::kLost;
  std::string worker;            // its name
  protocol::TaskResult result;   // kDone / kFailed
};

class WorkerHub {
 public:
  WorkerHub(zmq::context_t& context, WorkerHubConfig config);
  ~WorkerHub();
  WorkerHub(const WorkerHub&) = delete;
  WorkerHub& operator=(const WorkerHub&) = delete;

  // Binds and starts the thread. Throws on a bind failure.
  void start();
  // Stops the thread; tasks still out end as lost. Idempotent.
  void stop();

  // Whether any worker is joined (draining ones included).
  bool any_worker() const;
  // Waits up to `wait` for a free slot; true when one is free now.
  bool wait_for_free_slot(std::chrono::milliseconds wait);

  // Hands the task to the joined worker with the most free slots and waits
  // for its end; nullopt (nothing sent) when no slot is free. Its progress
  // reaches `job` as it comes (taken back unless it ends kDone). While
  // `stopped()` is true the task is cancelled on the worker, and the call
  // still waits for its result or the worker's loss: its transaction has
  // ended when this returns.
  std::optional<RemoteOutcome> try_run(protocol::TaskAssign task, jobs::Job& job,
                                       const std::function<bool()>& stopped);

  std::uint64_t next_task_id();

  std::vector<WorkerStatus> workers() const;
  HubCounters counters() const;
  void count_retry();

 private:
  struct Worker;
  struct InFlight;
  void run(zmq::socket_t& socket);
  void handle(const std::string& identity, const std::string& address, const protocol::Envelope& envelope);
  void send(const std::string& identity, protocol::MessageKind kind, const std::string& payload);
  void heartbeat_and_reap();
  std::string welcome() const;
  void lose_worker(const std::string& identity, const std::string& why);  // mutex_ held
  void end_task(std::uint64_t task_id, RemoteEnd end, const protocol::TaskResult* result);  // mutex_ held

  zmq::context_t& context_;
  const WorkerHubConfig config_;
  frontend::Outbox outbox_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::atomic<std::uint64_t> next_task_id_;
  std::chrono::steady_clock::time_point next_beat_;  // the hub thread's

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::unique_ptr<Worker>> workers_;    // by routing id
  std::map<std::uint64_t, std::shared_ptr<InFlight>> tasks_;  // out at workers
  HubCounters counters_;
  std::int64_t assignments_ = 0;  // ties between workers go to the least recently used
};

// The agent's hub, installed once at start (null: no --worker-listen), and
// this host: its name in the jobs' detail, and whether it loads tables
// itself (--workers > 0) or leaves them to the workers while any is joined.
void install_worker_hub(WorkerHub* hub, std::string local_name, bool local_loads);
WorkerHub* worker_hub();
const std::string& local_host_name();
bool local_loads();

}  // namespace pgclone::agent::cluster
