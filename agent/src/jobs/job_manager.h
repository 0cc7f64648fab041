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
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"
#include "store/job_store.h"

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

// Thrown by resume() and wait(): what the caller asked for cannot be done.
struct JobRequestError : std::runtime_error {
  JobRequestError(std::string sqlstate, const std::string& message, std::string detail = "",
                  std::string hint = "")
      : std::runtime_error(message), sqlstate(std::move(sqlstate)), detail(std::move(detail)),
        hint(std::move(hint)) {}
  std::string sqlstate;
  std::string detail;
  std::string hint;
};

class JobManager {
 public:
  // Runs one job to its end; must not throw (the manager still guards it).
  using Runner = std::function<RunOutcome(Job&)>;
  // Delivers a message to a waiter; called from worker and front-end threads.
  using Notifier = std::function<void(const Waiter&, protocol::MessageKind, std::string payload)>;

  // With a store, every job is kept durably: at construction the jobs of the
  // previous run are restored, those that were pending or running as
  // interrupted.
  JobManager(int workers, Runner runner, Notifier notifier, store::JobStore* store = nullptr);
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

  // The jobs the caller may see (job_id 0: all of them), oldest first.
  std::vector<protocol::JobInfo> list(const protocol::Caller& caller, std::int64_t job_id) const;

  // Attaches a waiter to a job; a finished job answers at once.
  // Throws JobRequestError (42704) when the caller cannot see it.
  void wait(std::int64_t job_id, const protocol::Caller& caller, const Waiter& waiter);

  // A new job that continues a failed, cancelled or interrupted one.
  // Throws JobRequestError: 42704 unknown, 55000 not resumable.
  std::shared_ptr<Job> resume(std::int64_t job_id, const protocol::Caller& caller);

  // Forgets the caller's completed, failed and cancelled jobs; returns how many.
  int clear(const protocol::Caller& caller);

  // Resumes every interrupted job (agent option --resume-interrupted); returns how many.
  int resume_interrupted();

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
  std::shared_ptr<Job> enqueue(std::shared_ptr<Job> job, std::int64_t inherit_from = 0);
  std::int64_t take_job_id();  // mutex_ held
  void restore_jobs();
  void persist_status(const Job& job);
  std::shared_ptr<Job> find_visible(std::int64_t job_id, const protocol::Caller& caller) const;
  CancelResult cancel_job(const std::shared_ptr<Job>& job, const protocol::Caller& caller);

  const Runner runner_;
  store::JobStore* const store_;
  const Notifier notifier_;
  const int worker_count_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable queue_changed_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::map<std::int64_t, std::shared_ptr<Job>> jobs_;
  std::map<std::int64_t, std::int64_t> resumed_by_;  // job id -> the job that resumes it
  std::int64_t next_job_id_ = 1;
  int busy_workers_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace pgclone::agent::jobs
