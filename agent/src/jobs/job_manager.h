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
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"
#include "jobs/job_owner.h"
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
  std::int64_t rows_copied = 0, bytes_copied = 0;  // by the jobs still remembered
};

// kLocalBackend: a running local job, which only its backend can stop; the
// canceller is told which (LocalBackend).
enum class CancelResult { kCancelRequested, kNotFound, kAlreadyFinished, kLocalBackend };

// Where a running local job runs: the backend of its owner's server.
struct LocalBackend {
  int backend_pid = 0;
  std::int64_t database_oid = 0;
  std::string database, schema, table;
};

// Bounds that keep one caller from starving the others or the agent's memory.
struct JobLimits {
  int max_active_per_role = 16;  // pending + running jobs of one owner
  int max_running_per_role = 0;  // 0: half the workers (at least 1)
  int max_pending = 256;         // pending jobs of all owners
  int max_finished = 1000;       // finished jobs kept; the oldest are forgotten
};

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
  // The target conninfo (enrolled server + the owner's database) a new job of
  // owner logs in with; throws JobRequestError when the server is not enrolled.
  using TargetResolver = std::function<std::string(const JobOwner&)>;
  // Delivers a message to a waiter; called from worker and front-end threads.
  using Notifier = std::function<void(const Waiter&, protocol::MessageKind, std::string payload)>;

  // With a store, every job is kept durably: at construction the jobs of the
  // previous run are restored, those that were pending or running as
  // interrupted.
  JobManager(int workers, Runner runner, Notifier notifier, store::JobStore* store = nullptr,
             TargetResolver targets = {}, JobLimits limits = {});
  ~JobManager();
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  // A new job of owner, asked for on connection `submitter`. Throws
  // JobRequestError 53400 past the limits (nothing is queued then).
  std::shared_ptr<Job> submit(protocol::CloneRequest request, protocol::CloneOptions options,
                              const JobOwner& owner, const std::string& submitter,
                              std::optional<Waiter> waiter);

  // Records a local job (protocol::LocalJobStart) of owner, running now in
  // owner.backend_pid, registered on connection `submitter`; nothing is
  // queued. A running local job of the same backend is failed first: a
  // backend runs one statement at a time, so that one's backend has gone
  // (killed without reporting) and its pid was reused.
  std::shared_ptr<Job> register_local(const protocol::LocalJobStart& start, const JobOwner& owner,
                                      const std::string& submitter);
  // The end of a local job, reported by the connection that registered it.
  // A completed job may still become failed or cancelled (the caller's
  // statement failed after the rewrite); otherwise an ended job keeps its
  // end. Throws JobRequestError 42704 for any other job, 22023 for a bad status.
  protocol::JobFinished finish_local(const protocol::LocalJobEnd& end, const std::string& submitter);

  // A job is only visible to its owner and to superusers of its server
  // (JobOwner::may_see), so another role's job answers kNotFound. A running
  // local job answers kLocalBackend and fills *local.
  CancelResult cancel(std::int64_t job_id, const JobOwner& caller, LocalBackend* local = nullptr);
  // Cancels job_id (or, when 0, the job the waiter's request started: the
  // caller gave up before it learnt the id) for the connection that submitted
  // it: no other proof is needed, or possible once its transaction aborts.
  CancelResult cancel_for_submitter(std::int64_t job_id, const Waiter& waiter);

  // The jobs the caller may see (job_id 0: all of them), oldest first.
  std::vector<protocol::JobInfo> list(const JobOwner& caller, std::int64_t job_id) const;

  // Attaches a waiter to a job; a finished job answers at once.
  // Throws JobRequestError (42704) when the caller cannot see it.
  void wait(std::int64_t job_id, const JobOwner& caller, const Waiter& waiter);

  // A new job that continues a failed, cancelled or interrupted one of the
  // same owner (a superuser cannot resume another role's job: it would reuse
  // that role's stored password). Throws JobRequestError: 42704 unknown,
  // 55000 not resumable, 53400 past the limits.
  // source_conninfo: for a job with a named source, its conninfo built again
  // (the store keeps only the server's name).
  std::shared_ptr<Job> resume(std::int64_t job_id, const JobOwner& caller, const std::string& submitter,
                              const std::string& source_conninfo = {});

  // Forgets the finished jobs the caller may see; returns how many.
  int clear(const JobOwner& caller);

  // Resumes every interrupted job (agent option --resume-interrupted); returns how many.
  int resume_interrupted();

  // Sends each waiter of an unfinished job its job's progress.
  void send_heartbeats();

  // Jobs by status: of one enrolled server's callers, or of all ("").
  JobCounts counts(const std::string& server = {}) const;

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
  std::shared_ptr<Job> find_visible(std::int64_t job_id, const JobOwner& caller) const;
  CancelResult cancel_job(const std::shared_ptr<Job>& job, const std::string& by, LocalBackend* local = nullptr);
  void end_local(const std::shared_ptr<Job>& job, JobStatus status, std::string result_text,
                 protocol::ErrorInfo error);
  JobOrigin origin_for(const JobOwner& owner, const std::string& submitter) const;
  void check_limits(const JobOwner& owner) const;  // mutex_ held
  std::shared_ptr<Job> take_next_job();             // mutex_ held
  void forget_oldest_finished();

  const Runner runner_;
  store::JobStore* const store_;
  const Notifier notifier_;
  const int worker_count_;
  const TargetResolver targets_;
  const JobLimits limits_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable queue_changed_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::map<std::int64_t, std::shared_ptr<Job>> jobs_;
  std::map<std::int64_t, std::int64_t> resumed_by_;  // job id -> the job that resumes it
  std::set<std::int64_t> unresumable_;                // restored jobs whose options no longer parse
  std::int64_t next_job_id_ = 1;
  int busy_workers_ = 0;
  std::map<std::string, int> running_by_owner_;  // principal key -> jobs taken by workers
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace pgclone::agent::jobs
