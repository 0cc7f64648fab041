#pragma once
// One clone job: what was asked, where it stands, and how to stop it. Shared
// between the front end (progress, cancel) and the worker running it, so every
// mutable field is atomic or guarded by the job's mutex.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "jobs/job_journal.h"
#include "jobs/job_owner.h"
#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/messages.h"

namespace pgclone::agent::jobs {

enum class JobStatus { kPending, kRunning, kCompleted, kFailed, kCancelled, kInterrupted };

const char* status_name(JobStatus status);
bool is_finished(JobStatus status);

// A backend waiting on a job: where its progress and result go.
struct Waiter {
  std::string identity;  // ZeroMQ routing id of the backend's DEALER socket
  std::uint64_t request_id = 0;
};

// kAborted: the agent itself stopped the job for the error it recorded
// (abort()), e.g. a lock the calling transaction holds.
enum class StopReason { kNone, kCancelled, kShutdown, kAborted };

// Milliseconds since the Unix epoch: what job listings show and the store keeps.
std::int64_t now_ms();

// A job as the store remembers it, for restoring jobs after an agent restart.
struct RestoredState {
  JobStatus status = JobStatus::kInterrupted;
  std::string phase, current_table;
  std::int64_t tables_total = 0, tables_completed = 0, rows_copied = 0, bytes_copied = 0, bytes_total = 0;
  std::int64_t created_ms = 0, started_ms = 0, finished_ms = 0;
  std::string result_text;
  protocol::ErrorInfo error;
};

// Where a job's target sessions log in: the enrolled server's conninfo with
// the owner's database, and the connection (ZeroMQ routing id) that asked
// for it, which may cancel it without another proof.
struct JobOrigin {
  std::string target_conninfo;
  std::string submitter;
};

class Job {
 public:
  Job(std::int64_t id, protocol::CloneRequest request, protocol::CloneOptions options, JobOwner owner,
      JobOrigin origin = {}, std::int64_t resumed_from = 0, store::JobStore* store = nullptr);
  Job(std::int64_t id, protocol::CloneRequest request, protocol::CloneOptions options, JobOwner owner,
      std::int64_t resumed_from, store::JobStore* store, const RestoredState& state);
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  std::int64_t id() const { return id_; }
  const protocol::CloneRequest& request() const { return request_; }
  const protocol::CloneOptions& options() const { return options_; }
  // A local job: run by the owner's backend itself (mask_in_place), only
  // recorded here. Never queued, never resumed.
  bool local() const { return request_.operation == protocol::kOpMaskInPlace; }
  std::int64_t resumed_from() const { return resumed_from_; }
  std::int64_t created_ms() const { return created_ms_; }
  std::int64_t start_ms() const { return start_ms_; }
  std::int64_t end_ms() const { return end_ms_; }
  std::int64_t bytes_total() const { return bytes_total_; }
  JobJournal& journal() { return journal_; }
  const JobOwner& owner() const { return owner_; }
  bool visible_to(const JobOwner& caller) const { return caller.may_see(owner_); }
  // Empty for a job restored from the store (it only runs again as a resumer).
  const std::string& target_conninfo() const { return origin_.target_conninfo; }
  bool submitted_by(const std::string& connection) const {
    return !origin_.submitter.empty() && origin_.submitter == connection;
  }

  JobStatus status() const { return status_.load(); }
  void mark_running();
  // An interrupted job the caller gave up on.
  void mark_cancelled_while_interrupted();

  // Progress, updated by the worker.
  void set_phase(const std::string& phase);
  void set_current_table(const std::string& table);
  void set_tables(std::int64_t total, std::int64_t completed);
  void add_rows(std::int64_t rows) { rows_copied_ += rows; }
  void set_rows(std::int64_t rows) { rows_copied_ = rows; }
  void add_bytes(std::int64_t bytes) { bytes_copied_ += bytes; }
  // Estimated data volume (source relation sizes), for pct_complete.
  void set_bytes_total(std::int64_t bytes) { bytes_total_ = bytes; }
  void add_notice(const std::string& level, const std::string& message,
                  const std::string& detail = {});
  // Which host (the coordinator's name or a worker agent's) loaded a table.
  void record_table_host(const std::string& table, const std::string& host);
  std::map<std::string, std::string> table_hosts() const;  // table -> host
  protocol::JobProgress progress() const;
  // Everything a job listing shows; `source` is the redacted conninfo.
  protocol::JobInfo info(const std::string& source) const;

  // Stopping: sets the reason and interrupts every registered in-flight call
  // (PQcancel); the worker then unwinds and rolls back.
  void request_stop(StopReason reason);
  StopReason stop_reason() const { return stop_reason_.load(); }
  bool stop_requested() const { return stop_reason() != StopReason::kNone; }
  // Stops the job with kAborted; the job then fails with `error`. Ignored
  // when the job is already stopping.
  void abort(protocol::ErrorInfo error);
  protocol::ErrorInfo abort_error() const;

  // Interrupters run from another thread; a registration made after a stop
  // request fires immediately so no call slips through. target_pid: the
  // backend pid of a target session, so that its lock waits can be watched
  // (0 for any other connection).
  using Interrupter = std::function<void()>;
  int register_interrupter(Interrupter interrupter, int target_pid = 0);
  void unregister_interrupter(int token);
  // The backend pids of the target sessions registered now.
  std::vector<int> target_session_pids() const;
  // The phase, as progress() shows it.
  std::string phase() const;

  void add_waiter(const Waiter& waiter);
  std::vector<Waiter> waiters() const;

  void finish(JobStatus status, std::string result_text, protocol::ErrorInfo error);
  protocol::JobFinished final_message() const;

 private:
  const std::int64_t id_;
  const protocol::CloneRequest request_;
  const protocol::CloneOptions options_;
  const JobOwner owner_;
  const JobOrigin origin_;
  const std::int64_t created_ms_;
  const std::int64_t resumed_from_;
  JobJournal journal_;
  std::atomic<std::int64_t> start_ms_{0};
  std::atomic<std::int64_t> end_ms_{0};
  std::atomic<std::int64_t> bytes_total_{0};

  std::atomic<JobStatus> status_{JobStatus::kPending};
  std::atomic<StopReason> stop_reason_{StopReason::kNone};
  std::atomic<std::int64_t> rows_copied_{0};
  std::atomic<std::int64_t> bytes_copied_{0};
  std::atomic<std::int64_t> tables_total_{0};
  std::atomic<std::int64_t> tables_completed_{0};

  mutable std::mutex mutex_;  // guards everything below
  std::string phase_ = "queued";
  std::string current_table_;
  std::vector<protocol::Notice> notices_;
  std::map<std::string, std::string> table_hosts_;
  std::vector<Waiter> waiters_;
  std::string result_text_;
  protocol::ErrorInfo error_;

  protocol::ErrorInfo abort_error_;  // guarded by mutex_

  struct Registered {
    Interrupter interrupt;
    int target_pid = 0;
  };
  mutable std::mutex interrupt_mutex_;  // guards the interrupters; held while they run
  std::map<int, Registered> interrupters_;
  int next_interrupter_token_ = 1;
};

}  // namespace pgclone::agent::jobs
