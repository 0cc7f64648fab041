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

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Job::Job(std::int64_t id, protocol::CloneRequest request, protocol::CloneOptions options, JobOwner owner,
         JobOrigin origin, std::int64_t resumed_from, store::JobStore* store)
    : id_(id),
      request_(std::move(request)),
      options_(std::move(options)),
      owner_(std::move(owner)),
      origin_(std::move(origin)),
      created_ms_(now_ms()),
      resumed_from_(resumed_from),
      journal_(id, store) {}

Job::Job(std::int64_t id, protocol::CloneRequest request, protocol::CloneOptions options, JobOwner owner,
         std::int64_t resumed_from, store::JobStore* store, const RestoredState& state)
    : id_(id),
      request_(std::move(request)),
      options_(std::move(options)),
      owner_(std::move(owner)),
      created_ms_(state.created_ms),
      resumed_from_(resumed_from),
      journal_(id, store) {
  status_ = state.status;
  start_ms_ = state.started_ms;
  end_ms_ = state.finished_ms;
  bytes_total_ = state.bytes_total;
  rows_copied_ = state.rows_copied;
  bytes_copied_ = state.bytes_copied;
  tables_total_ = state.tables_total;
  tables_completed_ = state.tables_completed;
  phase_ = state.phase;
  current_table_ = state.current_table;
  result_text_ = state.result_text;
  error_ = state.error;
}

void Job::mark_cancelled_while_interrupted() {
  JobStatus expected = JobStatus::kInterrupted;
  if (status_.compare_exchange_strong(expected, JobStatus::kCancelled)) {
    std::lock_guard<std::mutex> lock(mutex_);
    phase_ = status_name(JobStatus::kCancelled);
  }
}

void Job::mark_running() {
  JobStatus expected = JobStatus::kPending;
  if (status_.compare_exchange_strong(expected, JobStatus::kRunning)) start_ms_ = now_ms();
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

void Job::record_table_host(const std::string& table, const std::string& host) {
  std::lock_guard<std::mutex> lock(mutex_);
  table_hosts_[table] = host;
}

std::map<std::string, std::string> Job::table_hosts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return table_hosts_;
}

protocol::JobInfo Job::info(const std::string& source) const {
  const protocol::JobProgress now = progress();
  protocol::JobInfo info;
  info.job_id = id_;
  info.status = now.status;
  info.op_type = request_.operation;
  info.schema_name = request_.schema;
  info.table_name = request_.table;
  info.phase = now.phase;
  info.current_table = now.current_table;
  info.tables_total = now.tables_total;
  info.tables_completed = now.tables_completed;
  info.rows_copied = now.rows_copied;
  info.bytes_copied = now.bytes_copied;
  info.bytes_total = bytes_total_;
  info.start_ms = start_ms_ != 0 ? start_ms_.load() : created_ms_;
  info.end_ms = end_ms_;
  info.elapsed_ms = (info.end_ms != 0 ? info.end_ms : now_ms()) - info.start_ms;
  info.owner = owner_.role;
  info.source = source;
  info.resumed_from = resumed_from_;
  info.source_server = request_.source_server;
  std::lock_guard<std::mutex> lock(mutex_);
  info.error_message = error_.message;
  info.error_sqlstate = error_.sqlstate;
  for (const auto& [table, host] : table_hosts_) ++info.tables_by_host[host];
  return info;
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
  for (auto& [token, registered] : interrupters_) registered.interrupt();
}

void Job::abort(protocol::ErrorInfo error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_requested()) return;
    abort_error_ = std::move(error);
  }
  request_stop(StopReason::kAborted);
}

protocol::ErrorInfo Job::abort_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return abort_error_;
}

int Job::register_interrupter(Interrupter interrupter, int target_pid) {
  std::lock_guard<std::mutex> lock(interrupt_mutex_);
  const int token = next_interrupter_token_++;
  interrupters_[token] = Registered{interrupter, target_pid};
  if (stop_requested()) interrupter();
  return token;
}

std::vector<int> Job::target_session_pids() const {
  std::lock_guard<std::mutex> lock(interrupt_mutex_);
  std::vector<int> pids;
  for (const auto& [token, registered] : interrupters_) {
    if (registered.target_pid > 0) pids.push_back(registered.target_pid);
  }
  return pids;
}

std::string Job::phase() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return phase_;
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
  end_ms_ = now_ms();
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
