#include "verify/verify_workers.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "clone/job_session.h"
#include "clone/sibling_group.h"
#include "clone/snapshot.h"
#include "ddl/sql_text.h"
#include "verify/checksum_sql.h"

namespace pgclone::agent::verify {
namespace {

class TaskQueue {
 public:
  explicit TaskQueue(const std::vector<TableTask>& tasks) : tasks_(tasks) {}

  // The index of the next task; -1 when none is left or a sibling failed.
  long next() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (group_.failed() || next_ >= tasks_.size()) return -1;
    return static_cast<long>(next_++);
  }

  clone::SiblingGroup& group() { return group_; }

 private:
  std::mutex mutex_;
  const std::vector<TableTask>& tasks_;
  std::size_t next_ = 0;
  clone::SiblingGroup group_;
};

pg::Connection open_target_worker(const WorkerSessions& sessions, jobs::Job& job) {
  pg::Connection target = clone::open_target(sessions.target_conninfo, job);
  clone::InterruptRegistration interrupt(job, target);
  target.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  target.exec("SET TRANSACTION SNAPSHOT " + ddl::quote_literal(sessions.target_snapshot));
  return target;
}

std::string table_name(const TableTask& task) {
  return task.source ? task.source->qualified : task.target->qualified;
}

void worker(jobs::Job& job, const std::vector<TableTask>& tasks, const protocol::VerifyOptions& options,
            const WorkerSessions& sessions, TaskQueue& queue, std::vector<TableVerdict>& verdicts,
            std::atomic<std::int64_t>& done) {
  try {
    pg::Connection source = clone::open_worker_source(sessions.source_conninfo, sessions.source_snapshot, job);
    clone::Enlisted source_guard(job, queue.group(), source);
    source.exec(pin_rendering_sql());
    pg::Connection target = open_target_worker(sessions, job);
    clone::Enlisted target_guard(job, queue.group(), target);
    target.exec(pin_rendering_sql());
    for (long i = queue.next(); i >= 0; i = queue.next()) {
      clone::throw_if_stopped(job);
      const TableTask& task = tasks[static_cast<std::size_t>(i)];
      job.set_current_table(table_name(task));
      try {
        verdicts[static_cast<std::size_t>(i)] = compare_table(job, task, options, source, target);
      } catch (const pg::PgError& e) {
        clone::throw_if_stopped(job);
        throw pg::PgError(e.sqlstate, "could not verify " + table_name(task) + ": " + e.message, e.detail, e.hint,
                          e.context);
      }
      job.set_tables(static_cast<std::int64_t>(tasks.size()), ++done);
    }
    source.exec("COMMIT");
    target.exec("COMMIT");
  } catch (...) {
    queue.group().fail(std::current_exception());
  }
}

}  // namespace

std::vector<TableVerdict> run_comparisons(jobs::Job& job, const std::vector<TableTask>& tasks,
                                          const protocol::VerifyOptions& options, const WorkerSessions& sessions) {
  std::vector<TableVerdict> verdicts(tasks.size());
  if (tasks.empty()) return verdicts;
  TaskQueue queue(tasks);
  std::atomic<std::int64_t> done{0};
  const int threads = std::max(1, std::min<int>(sessions.workers, static_cast<int>(tasks.size())));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&] { worker(job, tasks, options, sessions, queue, verdicts, done); });
  }
  for (std::thread& thread : pool) thread.join();
  if (std::exception_ptr failure = queue.group().failure()) std::rethrow_exception(failure);
  return verdicts;
}

}  // namespace pgclone::agent::verify
