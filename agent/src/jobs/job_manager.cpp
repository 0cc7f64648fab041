#include "jobs/job_manager.h"

#include <exception>
#include <utility>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::jobs {
namespace {

protocol::ErrorInfo shutdown_error(std::int64_t job_id) {
  return protocol::ErrorInfo{protocol::sqlstate::kAdminShutdown,
                             "pgclone agent is shutting down; job " + std::to_string(job_id) +
                                 " was cancelled",
                             "Nothing of the job was kept on the target.",
                             "Run the clone again once the agent is back.", ""};
}

}  // namespace

JobManager::JobManager(int workers, Runner runner, Notifier notifier)
    : runner_(std::move(runner)), notifier_(std::move(notifier)), worker_count_(workers) {
  for (int i = 0; i < worker_count_; ++i) {
    workers_.emplace_back([this] { worker_loop(); });
  }
}

JobManager::~JobManager() { shutdown(); }

std::shared_ptr<Job> JobManager::submit(protocol::CloneRequest request,
                                        protocol::CloneOptions options,
                                        std::optional<Waiter> waiter) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job = std::make_shared<Job>(next_job_id_++, std::move(request), std::move(options));
    if (waiter) job->add_waiter(*waiter);
    jobs_[job->id()] = job;
    if (stopping_) {
      job->finish(JobStatus::kCancelled, "", shutdown_error(job->id()));
    } else {
      queue_.push_back(job);
    }
  }
  if (is_finished(job->status())) {
    notify_finished(*job);
  } else {
    queue_changed_.notify_one();
  }
  return job;
}

std::shared_ptr<Job> JobManager::find_visible(std::int64_t job_id,
                                              const protocol::Caller& caller) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return nullptr;
  const protocol::Caller& owner = it->second->request().caller;
  if (!caller.is_superuser && owner.current_user != caller.current_user) return nullptr;
  return it->second;
}

CancelResult JobManager::cancel(std::int64_t job_id, const protocol::Caller& caller) {
  return cancel_job(find_visible(job_id, caller), caller);
}

CancelResult JobManager::cancel_for_waiter(const Waiter& waiter, const protocol::Caller& caller) {
  std::int64_t job_id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      for (const Waiter& w : job->waiters()) {
        if (w.identity == waiter.identity && w.request_id == waiter.request_id) job_id = id;
      }
    }
  }
  return job_id == 0 ? CancelResult::kNotFound : cancel(job_id, caller);
}

CancelResult JobManager::cancel_job(const std::shared_ptr<Job>& job, const protocol::Caller& caller) {
  if (!job) return CancelResult::kNotFound;
  if (is_finished(job->status())) return CancelResult::kAlreadyFinished;
  log::info("job ", job->id(), ": cancel requested by role ", caller.current_user);
  job->request_stop(StopReason::kCancelled);
  return CancelResult::kCancelRequested;
}

void JobManager::send_heartbeats() {
  std::vector<std::shared_ptr<Job>> active;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [id, job] : jobs_) {
      if (!is_finished(job->status())) active.push_back(job);
    }
  }
  for (const auto& job : active) {
    const std::string payload = protocol::pack_payload(job->progress());
    for (const Waiter& waiter : job->waiters()) {
      notifier_(waiter, protocol::MessageKind::kJobProgress, payload);
    }
  }
}

JobCounts JobManager::counts() const {
  JobCounts counts;
  for (JobStatus status : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kCompleted,
                           JobStatus::kFailed, JobStatus::kCancelled, JobStatus::kInterrupted}) {
    counts.by_status[status_name(status)] = 0;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, job] : jobs_) ++counts.by_status[status_name(job->status())];
  counts.workers_total = worker_count_;
  counts.workers_busy = busy_workers_;
  return counts;
}

void JobManager::shutdown() {
  std::deque<std::shared_ptr<Job>> never_started;
  std::vector<std::shared_ptr<Job>> running;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    never_started.swap(queue_);
    for (auto& [id, job] : jobs_) {
      // Includes a job a worker has dequeued but not yet marked running.
      if (!is_finished(job->status())) running.push_back(job);
    }
  }
  queue_changed_.notify_all();
  for (const auto& job : running) job->request_stop(StopReason::kShutdown);
  for (const auto& job : never_started) {
    job->finish(JobStatus::kCancelled, "", shutdown_error(job->id()));
    notify_finished(*job);
  }
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

void JobManager::worker_loop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      ++busy_workers_;
    }
    run_one(job);
    std::lock_guard<std::mutex> lock(mutex_);
    --busy_workers_;
  }
}

void JobManager::run_one(const std::shared_ptr<Job>& job) {
  job->mark_running();
  log::info("job ", job->id(), ": started (", job->request().operation, " ",
            job->request().schema, ".", job->request().table, ")");
  RunOutcome outcome;
  try {
    outcome = runner_(*job);
  } catch (const std::exception& e) {
    outcome.status = JobStatus::kFailed;
    outcome.error = {protocol::sqlstate::kInternalError,
                     std::string("internal error in pgclone agent: ") + e.what(), "", "", ""};
  } catch (...) {
    outcome.status = JobStatus::kFailed;
    outcome.error = {protocol::sqlstate::kInternalError, "internal error in pgclone agent", "",
                     "", ""};
  }
  if (outcome.status != JobStatus::kCompleted && job->stop_reason() == StopReason::kShutdown) {
    outcome.status = JobStatus::kCancelled;
    outcome.error = shutdown_error(job->id());
  }
  job->finish(outcome.status, outcome.result_text, outcome.error);
  if (outcome.status == JobStatus::kCompleted) {
    log::info("job ", job->id(), ": completed: ", outcome.result_text);
  } else {
    log::warn("job ", job->id(), ": ", status_name(outcome.status), ": ", outcome.error.message);
  }
  notify_finished(*job);
}

void JobManager::notify_finished(const Job& job) {
  const std::string payload = protocol::pack_payload(job.final_message());
  for (const Waiter& waiter : job.waiters()) {
    notifier_(waiter, protocol::MessageKind::kJobFinished, payload);
  }
}

}  // namespace pgclone::agent::jobs
