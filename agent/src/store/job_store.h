#pragma once
// The agent's durable job state: jobs, the tasks they finished and the
// checkpoints they passed, in an SQLite database (<state_dir>/jobs.db) so that
// a restarted agent (also after kill -9) still lists every job and can resume
// the interrupted ones without redoing finished work.
//
// One connection, guarded by a mutex: every method may be called from any
// thread. Every write is its own committed transaction when the call returns.

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "pgclone/protocol/error_info.h"
#include "jobs/job_owner.h"
#include "pgclone/protocol/messages.h"
#include "store/sqlite.h"

namespace pgclone::agent::store {

// Job status names as stored (the same strings jobs::status_name returns).
inline constexpr const char* kStatusPending = "pending";
inline constexpr const char* kStatusRunning = "running";
inline constexpr const char* kStatusCompleted = "completed";
inline constexpr const char* kStatusFailed = "failed";
inline constexpr const char* kStatusCancelled = "cancelled";
inline constexpr const char* kStatusInterrupted = "interrupted";

struct JobRecord {
  std::int64_t id = 0;
  jobs::JobOwner owner;  // verified when the job was submitted
  // Stored whole (msgpack blob): it includes the source conninfo and its
  // password, which resume needs -- hence the file's 0600 mode.
  protocol::CloneRequest request;
  std::string status;  // pending|running|completed|failed|cancelled|interrupted
  std::string phase, current_table;
  std::int64_t tables_total = 0, tables_completed = 0, rows_copied = 0, bytes_copied = 0,
               bytes_total = 0;
  std::int64_t created_ms = 0, started_ms = 0, finished_ms = 0;  // unix epoch ms; 0 = not yet
  std::string result_text;
  protocol::ErrorInfo error;
  std::int64_t resumed_from = 0;  // job this one resumes (0 = none)
};

class JobStore {
 public:
  // Opens <state_dir>/jobs.db, creating it with mode 0600 (an existing file is
  // tightened to 0600 too), and creates or migrates the schema. The directory
  // must exist. Throws StoreError, e.g. when the file is not an SQLite
  // database or was written by a newer agent.
  explicit JobStore(const std::string& state_dir);
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  const std::string& path() const { return db_.path(); }

  // Reserves a fresh id: greater than every id ever handed out or inserted,
  // also after delete_finished and across reopen. Each call returns a new id.
  std::int64_t next_job_id();
  // job.id must be > 0 and unused; the status must be one of the names above.
  void insert(const JobRecord& job);
  // Writes phase, current table and the counters (not the status, so a late
  // heartbeat cannot undo update_status; progress.job_id is ignored). Cheap:
  // one kept prepared statement, one small WAL append.
  void update_progress(std::int64_t id, const protocol::JobProgress& progress,
                       std::int64_t bytes_total);
  // started_ms / finished_ms of 0 keep the stored value.
  void update_status(std::int64_t id, const std::string& status, std::int64_t started_ms,
                     std::int64_t finished_ms, const std::string& result_text,
                     const protocol::ErrorInfo& error);
  std::vector<JobRecord> load_all();  // ordered by id
  // At startup: every pending/running job -> interrupted (finished_ms = now).
  // Returns how many.
  int mark_interrupted();

  // Tasks and checkpoints, for resume: a task id is e.g. "table:public.orders";
  // a checkpoint e.g. "pre_data". Recording one twice is harmless (a task's
  // rows/bytes are overwritten). The job must exist.
  void record_task_done(std::int64_t job_id, const std::string& task_id, std::int64_t rows,
                        std::int64_t bytes);
  std::set<std::string> done_tasks(std::int64_t job_id);
  void record_checkpoint(std::int64_t job_id, const std::string& name);
  std::set<std::string> checkpoints(std::int64_t job_id);
  // Copies the done tasks and checkpoints of `from` to `to` (a resumed job
  // continues where the old one stopped). Both jobs must exist.
  void inherit_progress(std::int64_t from, std::int64_t to);
  // Drops the done tasks and checkpoints of a job (after a failed job rolled
  // the target back, nothing it did counts: a resume must start over).
  void forget_progress(std::int64_t job_id);

  // clear_jobs(): deletes the finished jobs (completed, failed, cancelled,
  // and interrupted ones another job has resumed -- not pending, running or
  // interrupted ones nobody resumed) that `caller` may see (JobOwner::may_see);
  // their tasks and checkpoints go too (a resumer holds its own copy).
  // Returns how many jobs.
  int delete_finished(const jobs::JobOwner& caller);

  // Forgets one job, whatever its status (the cap on kept finished jobs).
  void forget(std::int64_t id);

 private:
  void open_and_migrate();
  // The first column of every row `sql` selects for job ?1.
  std::set<std::string> names_of_job(const char* sql, std::int64_t job_id);

  std::mutex mutex_;  // guards the connection and every statement below
  Database db_;
  // Kept prepared: called every ~0.5 s per running job.
  Statement update_progress_;
  Statement record_task_;
};

}  // namespace pgclone::agent::store
