#include "jobs/job_manager.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "jobs/job_records.h"
#include "pg/conninfo.h"
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

// Jobs are counted per principal, not per name.
std::string principal_key(const JobOwner& owner) {
  return owner.server + "/" + std::to_string(owner.database_oid) + "/" + std::to_string(owner.role_oid);
}

JobStatus status_from_name(const std::string& name) {
  for (JobStatus status : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kCompleted,
                           JobStatus::kFailed, JobStatus::kCancelled, JobStatus::kInterrupted}) {
    if (name == status_name(status)) return status;
  }
  return JobStatus::kInterrupted;
}

// Options are stored as the request's JSON; parse them as the agent did then.
// nullopt when they no longer parse (an older agent accepted them): such a
// job is listed but never resumed, since defaults would clone everything.
std::optional<protocol::CloneOptions> options_of(const protocol::CloneRequest& request) {
  try {
    if (request.operation == protocol::kOpVerify) return protocol::CloneOptions{};  // its own options, see verify/
    const auto scope = protocol::scope_for_operation(request.operation);
    if (scope) return protocol::parse_clone_options(request.options_json, *scope);
  } catch (const std::exception& e) {
    log::warn("stored options of a ", request.operation, " job no longer parse: ", e.what());
  }
  return std::nullopt;
}

}  // namespace

store::JobRecord record_of(const Job& job) {
  const protocol::JobProgress progress = job.progress();
  const protocol::JobFinished final_message = job.final_message();
  store::JobRecord record;
  record.id = job.id();
  record.owner = job.owner();
  record.request = job.request();
  // A named source's conninfo holds its user mapping's password: never kept.
  if (!record.request.source_server.empty()) record.request.source_conninfo.clear();
  record.status = progress.status;
  record.phase = progress.phase;
  record.current_table = progress.current_table;
  record.tables_total = progress.tables_total;
  record.tables_completed = progress.tables_completed;
  record.rows_copied = progress.rows_copied;
  record.bytes_copied = progress.bytes_copied;
  record.bytes_total = job.bytes_total();
  record.created_ms = job.created_ms();
  record.started_ms = job.start_ms();
  record.finished_ms = job.end_ms();
  record.result_text = final_message.result_text;
  record.error = final_message.error;
  record.resumed_from = job.resumed_from();
  return record;
}

JobRequestError not_found(std::int64_t job_id) {
  return JobRequestError(protocol::sqlstate::kUndefinedObject, "pgclone job " + std::to_string(job_id) + " does not exist");
}


JobManager::JobManager(int workers, Runner runner, Notifier notifier, store::JobStore* store,
                       TargetResolver targets, JobLimits limits)
    : runner_(std::move(runner)),
      store_(store),
      notifier_(std::move(notifier)),
      worker_count_(workers),
      targets_(std::move(targets)),
      limits_(limits) {
  restore_jobs();
  for (int i = 0; i < worker_count_; ++i) {
    workers_.emplace_back([this] { worker_loop(); });
  }
}

JobManager::~JobManager() { shutdown(); }

void JobManager::restore_jobs() {
  if (store_ == nullptr) return;
  const int interrupted = store_->mark_interrupted();
  std::vector<store::JobRecord> records = store_->load_all();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const store::JobRecord& record : records) {
    RestoredState state;
    state.status = status_from_name(record.status);
    state.phase = record.phase;
    state.current_table = record.current_table;
    state.tables_total = record.tables_total;
    state.tables_completed = record.tables_completed;
    state.rows_copied = record.rows_copied;
    state.bytes_copied = record.bytes_copied;
    state.bytes_total = record.bytes_total;
    state.created_ms = record.created_ms;
    state.started_ms = record.started_ms;
    state.finished_ms = record.finished_ms;
    state.result_text = record.result_text;
    state.error = record.error;
    std::optional<protocol::CloneOptions> options = options_of(record.request);
    if (!options) unresumable_.insert(record.id);
    jobs_[record.id] = std::make_shared<Job>(record.id, record.request, options.value_or(protocol::CloneOptions{}),
                                             record.owner, record.resumed_from, store_, state);
    if (record.resumed_from != 0) resumed_by_[record.resumed_from] = record.id;
  }
  log::info("job store ", store_->path(), ": ", records.size(), " jobs restored, ", interrupted,
            " of them interrupted by the previous agent's stop");
}

std::int64_t JobManager::take_job_id() {
  return store_ != nullptr ? store_->next_job_id() : next_job_id_++;
}

void JobManager::persist_status(const Job& job) {
  if (store_ == nullptr) return;
  const protocol::JobFinished final_message = job.final_message();
  try {
    store_->update_status(job.id(), status_name(job.status()), job.start_ms(), job.end_ms(),
                          final_message.result_text, final_message.error);
  } catch (const std::exception& e) {
    log::error("job ", job.id(), ": could not record its status: ", e.what());
  }
}

JobOrigin JobManager::origin_for(const JobOwner& owner, const std::string& submitter) const {
  return JobOrigin{targets_ ? targets_(owner) : std::string(), submitter};
}

void JobManager::check_limits(const JobOwner& owner) const {
  int active = 0;
  int pending = 0;
  for (const auto& [id, job] : jobs_) {
    // A local job costs the agent nothing (and there is one per backend at most).
    if (is_finished(job->status()) || job->local()) continue;
    if (job->status() == JobStatus::kPending) ++pending;
    if (job->owner().same_principal(owner)) ++active;
  }
  if (active >= limits_.max_active_per_role) {
    throw JobRequestError(protocol::sqlstate::kConfigurationLimitExceeded,
                          "role \"" + owner.role + "\" already has " + std::to_string(active) +
                              " pgclone jobs pending or running",
                          "The agent runs at most " + std::to_string(limits_.max_active_per_role) +
                              " jobs of one role at a time (its --max-jobs-per-role).",
                          "Wait for a job to finish, or cancel one.");
  }
  if (pending >= limits_.max_pending) {
    throw JobRequestError(protocol::sqlstate::kConfigurationLimitExceeded,
                          "the pgclone agent's queue is full",
                          std::to_string(pending) + " jobs are waiting for a worker (--max-pending-jobs).",
                          "Try again once some of them have run.");
  }
}

std::shared_ptr<Job> JobManager::submit(protocol::CloneRequest request, protocol::CloneOptions options,
                                        const JobOwner& owner, const std::string& submitter,
                                        std::optional<Waiter> waiter) {
  JobOrigin origin = origin_for(owner, submitter);
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    check_limits(owner);
    job = std::make_shared<Job>(take_job_id(), std::move(request), std::move(options), owner,
                                std::move(origin), 0, store_);
  }
  if (waiter) job->add_waiter(*waiter);
  return enqueue(job);
}

std::shared_ptr<Job> JobManager::enqueue(std::shared_ptr<Job> job, std::int64_t inherit_from) {
  // Durable before it is visible: a job a caller learnt the id of survives a crash.
  if (store_ != nullptr) {
    store_->insert(record_of(*job));
    if (inherit_from != 0) store_->inherit_progress(inherit_from, job->id());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_[job->id()] = job;
    if (stopping_) {
      job->finish(JobStatus::kCancelled, "", shutdown_error(job->id()));
    } else {
      queue_.push_back(job);
    }
  }
  if (is_finished(job->status())) {
    persist_status(*job);
    notify_finished(*job);
  } else {
    queue_changed_.notify_one();
  }
  return job;
}

std::shared_ptr<Job> JobManager::find_visible(std::int64_t job_id, const JobOwner& caller) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || !it->second->visible_to(caller)) return nullptr;
  return it->second;
}

std::vector<protocol::JobInfo> JobManager::list(const JobOwner& caller, std::int64_t job_id) const {
  std::vector<std::shared_ptr<Job>> visible;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      if ((job_id == 0 || id == job_id) && job->visible_to(caller)) visible.push_back(job);
    }
  }
  std::vector<protocol::JobInfo> out;
  out.reserve(visible.size());
  for (const auto& job : visible) {
    // A named source shows as its server's name; a conninfo, without password.
    const protocol::CloneRequest& request = job->request();
    out.push_back(job->info(request.source_server.empty() ? pg::redact_conninfo(request.source_conninfo)
                                                          : request.source_server));
    // Every table's host only for one job: a listing of all stays small.
    if (job_id != 0) out.back().table_hosts = job->table_hosts();
  }
  return out;
}

void JobManager::wait(std::int64_t job_id, const JobOwner& caller, const Waiter& waiter) {
  std::shared_ptr<Job> job = find_visible(job_id, caller);
  if (!job) throw not_found(job_id);
  job->add_waiter(waiter);
  // A job that ended before (or while) the waiter was added still answers.
  if (is_finished(job->status())) {
    notifier_(waiter, protocol::MessageKind::kJobFinished, protocol::pack_payload(job->final_message()));
  }
}

std::shared_ptr<Job> JobManager::resume(std::int64_t job_id, const JobOwner& caller, const std::string& submitter,
                                        const std::string& source_conninfo) {
  std::shared_ptr<Job> old = find_visible(job_id, caller);
  if (!old) throw not_found(job_id);
  if (!old->owner().same_principal(caller)) {
    throw JobRequestError(protocol::sqlstate::kInsufficientPrivilege,
                          "pgclone job " + std::to_string(job_id) + " belongs to role \"" + old->owner().role +
                              "\"; only that role can resume it",
                          "A resumed job reconnects with the connection string its owner gave, password included.",
                          "Ask role \"" + old->owner().role + "\" to run SELECT pgclone.resume(" +
                              std::to_string(job_id) + ").");
  }
  if (old->local()) {
    throw JobRequestError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                          "pgclone job " + std::to_string(job_id) + " cannot be resumed: it is a " +
                              old->request().operation + " call, which runs in its caller's own session",
                          "The agent only records such a job; it cannot run it again.",
                          "Call pgclone." + old->request().operation + " again if the table still needs it.");
  }
  const std::string& operation = old->request().operation;
  if (!protocol::operation_resumable(operation)) {
    throw JobRequestError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                          "pgclone job " + std::to_string(job_id) + " cannot be resumed: it is a " + operation + " call",
                          "Its rows were chosen in one snapshot of the source, which a resumed job cannot read again.",
                          "Drop what the job created and call pgclone." + operation + " again.");
  }
  JobOrigin origin = origin_for(caller, submitter);
  const JobStatus status = old->status();
  if (unresumable_.count(job_id)) {
    throw JobRequestError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                          "pgclone job " + std::to_string(job_id) + " cannot be resumed: its options are no longer valid",
                          "An earlier agent accepted options this one refuses; the agent's log names the reason.",
                          "Run the clone again with valid options.");
  }
  if (status != JobStatus::kFailed && status != JobStatus::kCancelled && status != JobStatus::kInterrupted) {
    throw JobRequestError("55000", "pgclone job " + std::to_string(job_id) + " is " + status_name(status) +
                                       "; only failed, cancelled or interrupted jobs can be resumed");
  }
  protocol::CloneRequest request = old->request();
  request.wait = false;
  if (!request.source_server.empty()) {
    // Read again from the server and the resuming role's user mapping.
    if (source_conninfo.empty()) {
      throw JobRequestError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                            "pgclone job " + std::to_string(job_id) + " reads from server \"" +
                                request.source_server + "\", whose connection string the agent does not keep",
                            "", "Resume it with SELECT pgclone.resume(" + std::to_string(job_id) + ").");
    }
    request.source_conninfo = source_conninfo;
  }
  std::shared_ptr<Job> job;
  {
    // Checked and claimed under one lock: two resumes of one job would load
    // the same tables side by side.
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = resumed_by_.find(job_id); it != resumed_by_.end()) {
      throw JobRequestError("55000",
                            "pgclone job " + std::to_string(job_id) + " was already resumed as job " +
                                std::to_string(it->second),
                            "Resuming it again would copy the same tables a second time.",
                            "Follow job " + std::to_string(it->second) + " instead; if it did not complete, run "
                                "SELECT pgclone.resume(" + std::to_string(it->second) + ").");
    }
    check_limits(caller);
    job = std::make_shared<Job>(take_job_id(), std::move(request), old->options(), caller, std::move(origin),
                                old->id(), store_);
    resumed_by_[job_id] = job->id();
  }
  log::info("job ", job->id(), ": resumes job ", job_id);
  return enqueue(job, old->id());
}

int JobManager::resume_interrupted() {
  std::vector<std::shared_ptr<Job>> interrupted;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      // A job already resumed (by a job interrupted in turn) is resumed
      // through its newest successor only.
      if (job->status() == JobStatus::kInterrupted && !resumed_by_.count(id) && !job->local()) {
        interrupted.push_back(job);
      }
    }
  }
  int resumed = 0;
  for (const auto& job : interrupted) {
    try {
      resume(job->id(), job->owner(), "", "");
      ++resumed;
    } catch (const std::exception& e) {
      log::warn("job ", job->id(), ": not resumed: ", e.what());
    }
  }
  return resumed;
}

int JobManager::clear(const JobOwner& caller) {
  if (store_ != nullptr) {
    try {
      store_->delete_finished(caller);
    } catch (const std::exception& e) {
      log::error("could not forget finished jobs in the store: ", e.what());
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  int cleared = 0;
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    const JobStatus status = it->second->status();
    // An interrupted job somebody resumed lives on in its resumer.
    const bool forgettable = status == JobStatus::kCompleted || status == JobStatus::kFailed ||
                             status == JobStatus::kCancelled ||
                             (status == JobStatus::kInterrupted && resumed_by_.count(it->first));
    if (forgettable && it->second->visible_to(caller)) {
      it = jobs_.erase(it);
      ++cleared;
    } else {
      ++it;
    }
  }
  return cleared;
}

CancelResult JobManager::cancel(std::int64_t job_id, const JobOwner& caller, LocalBackend* local) {
  return cancel_job(find_visible(job_id, caller), caller.describe(), local);
}

CancelResult JobManager::cancel_for_submitter(std::int64_t job_id, const Waiter& waiter) {
  std::shared_ptr<Job> found;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      if (!job->submitted_by(waiter.identity)) continue;
      if (job_id != 0 ? id == job_id : [&] {
            for (const Waiter& w : job->waiters()) {
              if (w.identity == waiter.identity && w.request_id == waiter.request_id) return true;
            }
            return false;
          }()) {
        found = job;
      }
    }
  }
  return cancel_job(found, "the connection that submitted it");
}

CancelResult JobManager::cancel_job(const std::shared_ptr<Job>& job, const std::string& by, LocalBackend* local) {
  if (!job) return CancelResult::kNotFound;
  if (job->local() && job->status() == JobStatus::kRunning) {
    // Only its backend can stop it; the canceller signals that backend.
    if (local != nullptr) {
      *local = LocalBackend{job->owner().backend_pid, job->owner().database_oid, job->owner().database,
                            job->request().schema, job->request().table};
    }
    log::info("job ", job->id(), ": cancel asked by ", by, " (runs in backend ", job->owner().backend_pid, ")");
    return CancelResult::kLocalBackend;
  }
  if (job->status() == JobStatus::kInterrupted) {
    job->mark_cancelled_while_interrupted();
    persist_status(*job);
    return CancelResult::kCancelRequested;
  }
  if (is_finished(job->status())) return CancelResult::kAlreadyFinished;
  log::info("job ", job->id(), ": cancel requested by ", by);
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
    const protocol::JobProgress progress = job->progress();
    if (store_ != nullptr && job->status() == JobStatus::kRunning) {
      try {
        store_->update_progress(job->id(), progress, job->bytes_total());
      } catch (const std::exception& e) {
        log::error("job ", job->id(), ": could not record its progress: ", e.what());
      }
    }
    const std::string payload = protocol::pack_payload(progress);
    for (const Waiter& waiter : job->waiters()) {
      notifier_(waiter, protocol::MessageKind::kJobProgress, payload);
    }
  }
}

JobCounts JobManager::counts(const std::string& server) const {
  JobCounts counts;
  for (JobStatus status : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kCompleted,
                           JobStatus::kFailed, JobStatus::kCancelled, JobStatus::kInterrupted}) {
    counts.by_status[status_name(status)] = 0;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, job] : jobs_) {
    if (!server.empty() && job->owner().server != server) continue;
    ++counts.by_status[status_name(job->status())];
    const protocol::JobProgress progress = job->progress();
    counts.rows_copied += progress.rows_copied;
    counts.bytes_copied += progress.bytes_copied;
  }
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
    persist_status(*job);
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
      queue_changed_.wait(lock, [this, &job] {
        if (stopping_) return true;
        job = take_next_job();
        return job != nullptr;
      });
      if (stopping_) return;
      ++busy_workers_;
    }
    run_one(job);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --busy_workers_;
      if (--running_by_owner_[principal_key(job->owner())] <= 0) running_by_owner_.erase(principal_key(job->owner()));
    }
    // A job of an owner that was at its running limit may go now.
    queue_changed_.notify_all();
    forget_oldest_finished();
  }
}

// The oldest queued job whose owner is below its running limit, so that one
// role's jobs (say, stuck on a silent source) never hold every worker.
std::shared_ptr<Job> JobManager::take_next_job() {
  const int per_role = limits_.max_running_per_role > 0 ? limits_.max_running_per_role
                                                        : std::max(1, worker_count_ / 2);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    const std::string key = principal_key((*it)->owner());
    auto running = running_by_owner_.find(key);
    if (running != running_by_owner_.end() && running->second >= per_role) continue;
    std::shared_ptr<Job> job = *it;
    queue_.erase(it);
    ++running_by_owner_[key];
    return job;
  }
  return nullptr;
}

void JobManager::forget_oldest_finished() {
  std::vector<std::int64_t> forgotten;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::int64_t> finished;
    for (const auto& [id, job] : jobs_) {
      const JobStatus status = job->status();
      if (status == JobStatus::kCompleted || status == JobStatus::kFailed || status == JobStatus::kCancelled) {
        finished.push_back(id);  // ascending: jobs_ is ordered by id
      }
    }
    const std::size_t cap = static_cast<std::size_t>(std::max(0, limits_.max_finished));
    for (std::size_t i = 0; i + cap < finished.size(); ++i) {
      jobs_.erase(finished[i]);
      forgotten.push_back(finished[i]);
    }
  }
  for (std::int64_t id : forgotten) {
    if (store_ == nullptr) break;
    try {
      store_->forget(id);
    } catch (const std::exception& e) {
      log::error("job ", id, ": could not forget it in the store: ", e.what());
    }
  }
  if (!forgotten.empty()) log::info("forgot ", forgotten.size(), " finished jobs (--max-finished-jobs)");
}

void JobManager::run_one(const std::shared_ptr<Job>& job) {
  job->mark_running();
  persist_status(*job);
  try {
    job->journal().load();
  } catch (const std::exception& e) {
    log::error("job ", job->id(), ": could not read its journal: ", e.what());
  }
  const protocol::CloneRequest& r = job->request();
  log::info("job ", job->id(), ": started (", r.operation, r.schema.empty() ? "" : " ", r.schema, r.table.empty() ? "" : ".", r.table, ")");
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
  // Final counters first (no later heartbeat writes them), then the status.
  if (store_ != nullptr) {
    try {
      store_->update_progress(job->id(), job->progress(), job->bytes_total());
    } catch (const std::exception& e) {
      log::error("job ", job->id(), ": could not record its progress: ", e.what());
    }
  }
  persist_status(*job);
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
