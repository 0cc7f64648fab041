#pragma once
// The agent's job queue and worker pool. Every request becomes a job; a pool
// of worker threads runs them; waiters (backends blocked in a synchronous call)
// get heartbeats while it runs and the result when it ends.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"

namespace pgclone::agent::jobs {

struct RunOutcome {
  JobStatus status = JobStatus::kFailed;
  std::string result_text;
  protocol::ErrorInfo error;
};

struct JobCounts {
  std::map<std::string, int> by_status;  // status name -> jobs
  int workers_total = 0;
  int workers_busy = 0;
};

enum class CancelResult { kCancelRequested, kNotFound, kAlreadyFinished };

class JobManager {
 public:
  // Runs one job to its end; must not throw (the manager still guards it).
  using Runner = std::function<RunOutcome(Job&)>;
  // Delivers a message to a waiter; called from worker and front-end threads.
  using Notifier = std::function<void(const Waiter&, protocol::MessageKind, std::string payload)>;

  JobManager(int workers, Runner runner, Notifier notifier);
  ~JobManager();
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  std::shared_ptr<Job> submit(protocol::CloneRequest request, protocol::CloneOptions options,
                              std::optional<Waiter> waiter);

  // A job is only visible to the role that started it and to superusers, so
  // another role's job answers kNotFound.
  CancelResult cancel(std::int64_t job_id, const protocol::Caller& caller);
  // Cancels the job a waiter's request started (the caller gave up before it
  // learnt the job id).
  CancelResult cancel_for_waiter(const Waiter& waiter, const protocol::Caller& caller);

  // Sends each waiter of an unfinished job its job's progress.
  void send_heartbeats();

  JobCounts counts() const;

  // Stops every job (they roll back), finishes queued ones as cancelled, tells
  // their waiters, and joins the workers. Idempotent.
  void shutdown();

 private:
  void worker_loop();
  void run_one(const std::shared_ptr<Job>& job);
  void notify_finished(const Job& job);
  std::shared_ptr<Job> find_visible(std::int64_t job_id, const protocol::Caller& caller) const;
  CancelResult cancel_job(const std::shared_ptr<Job>& job, const protocol::Caller& caller);

  const Runner runner_;
  const Notifier notifier_;
  const int worker_count_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable queue_changed_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::map<std::int64_t, std::shared_ptr<Job>> jobs_;
  std::int64_t next_job_id_ = 1;
  int busy_workers_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace pgclone::agent::jobs
