#include "jobs/job.h"

#include <utility>

namespace pgclone::agent::jobs {

const char* status_name(JobStatus status) {
  switch (status) {
    case JobStatus::kPending: return "pending";
    case JobStatus::kRunning: return "running";
    case JobStatus::kCompleted: return "completed";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kCancelled: return "cancelled";
    case JobStatus::kInterrupted: return "interrupted";
  }
  return "unknown";
}

bool is_finished(JobStatus status) {
  return status != JobStatus::kPending && status != JobStatus::kRunning;
}

Job::Job(std::int64_t id, protocol::CloneRequest request, protocol::CloneOptions options)
    : id_(id),
      request_(std::move(request)),
      options_(std::move(options)),
      created_(std::chrono::steady_clock::now()) {}

void Job::mark_running() {
  JobStatus expected = JobStatus::kPending;
  status_.compare_exchange_strong(expected, JobStatus::kRunning);
}

void Job::set_phase(const std::string& phase) {
  std::lock_guard<std::mutex> lock(mutex_);
  phase_ = phase;
}

void Job::set_current_table(const std::string& table) {
  std::lock_guard<std::mutex> lock(mutex_);
  current_table_ = table;
}

void Job::set_tables(std::int64_t total, std::int64_t completed) {
  tables_total_ = total;
  tables_completed_ = completed;
}

void Job::add_notice(const std::string& level, const std::string& message,
                     const std::string& detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  notices_.push_back(protocol::Notice{level, message, detail});
}

protocol::JobProgress Job::progress() const {
  protocol::JobProgress progress;
  progress.job_id = id_;
  progress.status = status_name(status());
  progress.tables_total = tables_total_;
  progress.tables_completed = tables_completed_;
  progress.rows_copied = rows_copied_;
  progress.bytes_copied = bytes_copied_;
  std::lock_guard<std::mutex> lock(mutex_);
  progress.phase = phase_;
  progress.current_table = current_table_;
  return progress;
}

void Job::request_stop(StopReason reason) {
  StopReason expected = StopReason::kNone;
  if (!stop_reason_.compare_exchange_strong(expected, reason)) return;
  // Held while interrupting so a worker cannot unregister (and destroy) a
  // connection in the middle of its cancel.
  std::lock_guard<std::mutex> lock(interrupt_mutex_);
  for (auto& [token, interrupt] : interrupters_) interrupt();
}

int Job::register_interrupter(Interrupter interrupter) {
  std::lock_guard<std::mutex> lock(interrupt_mutex_);
  const int token = next_interrupter_token_++;
  interrupters_[token] = interrupter;
  if (stop_requested()) interrupter();
  return token;
}

void Job::unregister_interrupter(int token) {
  std::lock_guard<std::mutex> lock(interrupt_mutex_);
  interrupters_.erase(token);
}

void Job::add_waiter(const Waiter& waiter) {
  std::lock_guard<std::mutex> lock(mutex_);
  waiters_.push_back(waiter);
}

std::vector<Waiter> Job::waiters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_;
}

void Job::finish(JobStatus status, std::string result_text, protocol::ErrorInfo error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    result_text_ = std::move(result_text);
    error_ = std::move(error);
    phase_ = status_name(status);
    current_table_.clear();
  }
  status_ = status;
}

protocol::JobFinished Job::final_message() const {
  protocol::JobFinished finished;
  finished.job_id = id_;
  finished.status = status_name(status());
  std::lock_guard<std::mutex> lock(mutex_);
  finished.result_text = result_text_;
  finished.error = error_;
  finished.notices = notices_;
  return finished;
}

}  // namespace pgclone::agent::jobs
