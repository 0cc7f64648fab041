// Local jobs: work a PostgreSQL backend does in its own session (today
// mask_in_place) that the agent records, lists and lets be cancelled, but
// never runs. The backend registers it, reports its end, and a backend that
// registers again supersedes the job it never ended.
#include "jobs/job_manager.h"

#include <utility>

#include "jobs/job_records.h"
#include "pgclone/protocol/messages.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::jobs {

std::shared_ptr<Job> JobManager::register_local(const protocol::LocalJobStart& start, const JobOwner& owner,
                                                const std::string& submitter) {
  if (start.operation != protocol::kOpMaskInPlace) {
    throw JobRequestError(protocol::sqlstate::kFeatureNotSupported,
                          "local job operation \"" + start.operation + "\" is not supported by this agent");
  }
  protocol::CloneRequest request;
  request.operation = start.operation;
  request.schema = start.schema;
  request.table = start.table;
  request.wait = false;
  std::vector<std::shared_ptr<Job>> superseded;
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      throw JobRequestError(protocol::sqlstate::kAdminShutdown, "pgclone agent is shutting down");
    }
    for (const auto& [id, other] : jobs_) {
      if (other->local() && other->status() == JobStatus::kRunning && owner.backend_pid > 0 &&
          other->owner().server == owner.server && other->owner().backend_pid == owner.backend_pid) {
        superseded.push_back(other);
      }
    }
    job = std::make_shared<Job>(take_job_id(), std::move(request), protocol::CloneOptions{}, owner,
                                JobOrigin{std::string(), submitter}, 0, store_);
  }
  for (const auto& old : superseded) {
    end_local(old, JobStatus::kFailed, "",
              protocol::ErrorInfo{protocol::sqlstate::kConnectionFailure,
                                  "backend " + std::to_string(owner.backend_pid) +
                                      " ended without reporting the end of pgclone job " + std::to_string(old->id()),
                                  "The backend was killed or its server restarted while it ran; its transaction "
                                  "was rolled back.",
                                  "", ""});
  }
  job->set_phase(start.phase.empty() ? "running" : start.phase);
  job->set_current_table(start.schema + "." + start.table);
  job->mark_running();
  if (store_ != nullptr) store_->insert(record_of(*job));  // durable before its id is known
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_[job->id()] = job;
  }
  log::info("job ", job->id(), ": ", start.operation, " ", start.schema, ".", start.table, " runs in backend ",
            owner.backend_pid, " of ", owner.describe());
  return job;
}

void JobManager::end_local(const std::shared_ptr<Job>& job, JobStatus status, std::string result_text,
                           protocol::ErrorInfo error) {
  job->finish(status, result_text, error);
  if (store_ != nullptr) {
    try {
      store_->update_progress(job->id(), job->progress(), job->bytes_total());
    } catch (const std::exception& e) {
      log::error("job ", job->id(), ": could not record its progress: ", e.what());
    }
  }
  persist_status(*job);
  if (status == JobStatus::kCompleted) log::info("job ", job->id(), ": completed: ", result_text);
  else log::warn("job ", job->id(), ": ", status_name(status), ": ", error.message);
}

protocol::JobFinished JobManager::finish_local(const protocol::LocalJobEnd& end, const std::string& submitter) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = jobs_.find(end.job_id);
    if (it != jobs_.end()) job = it->second;
  }
  if (!job || !job->local() || !job->submitted_by(submitter)) throw not_found(end.job_id);
  JobStatus status;
  if (end.status == status_name(JobStatus::kCompleted)) status = JobStatus::kCompleted;
  else if (end.status == status_name(JobStatus::kFailed)) status = JobStatus::kFailed;
  else if (end.status == status_name(JobStatus::kCancelled)) status = JobStatus::kCancelled;
  else {
    throw JobRequestError(protocol::sqlstate::kInvalidParameterValue,
                          "a local job cannot end with status \"" + end.status + "\"");
  }
  const JobStatus now = job->status();
  if (now == JobStatus::kRunning || (now == JobStatus::kCompleted && status != JobStatus::kCompleted)) {
    if (end.rows > 0) job->set_rows(end.rows);
    end_local(job, status, end.result_text, end.error);
  }
  return job->final_message();
}

}  // namespace pgclone::agent::jobs
