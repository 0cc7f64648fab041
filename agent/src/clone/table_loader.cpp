#include "clone/table_loader.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "clone/analyze.h"
#include "clone/job_copy.h"
#include "clone/job_session.h"
#include "clone/sibling_group.h"
#include "clone/snapshot.h"
#include "clone/step_runner.h"
#include "copy/copy_relay.h"
#include "copy/copy_statements.h"
#include "sample/row_selection.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

// Work shared by the load's threads: the queue, and the group that keeps the
// first failure and interrupts the siblings.
class LoadQueue {
 public:
  LoadQueue(const plan::ClonePlan& plan, const jobs::JobJournal& journal) : total_(plan.tables.size()) {
    for (const plan::TableTask& task : plan.tables) {
      // A resumed job does not load again what its predecessor committed.
      if (!journal.task_done(task.id)) tasks_.push_back(&task);
    }
    // Largest first, so one big table does not start last and run alone.
    std::stable_sort(tasks_.begin(), tasks_.end(), [](const auto* a, const auto* b) {
      return a->estimated_bytes > b->estimated_bytes;
    });
    for (const plan::Step& step : plan.steps) {
      if (step.section == plan::Section::kTablePost) table_steps_[step.table_id].push_back(&step);
    }
  }

  const plan::TableTask* next() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (group_.failed() || next_ >= tasks_.size()) return nullptr;
    return tasks_[next_++];
  }

  const std::vector<const plan::Step*>& steps_of(const std::string& table_id) const {
    static const std::vector<const plan::Step*> kNone;
    auto it = table_steps_.find(table_id);
    return it == table_steps_.end() ? kNone : it->second;
  }

  std::size_t size() const { return tasks_.size(); }   // still to load
  std::size_t total() const { return total_; }         // in the plan, loaded before or not

  SiblingGroup& group() { return group_; }

 private:
  std::mutex mutex_;
  const std::size_t total_;
  std::vector<const plan::TableTask*> tasks_;
  std::size_t next_ = 0;
  std::map<std::string, std::vector<const plan::Step*>> table_steps_;
  SiblingGroup group_;
};

// Tables smaller than this (on the source, TOAST included) load into the
// file pre-data created (see load_one).
constexpr std::int64_t kFreshFileMinBytes = 2 * 1024 * 1024;

void load_one(jobs::Job& job, const plan::TableTask& task, const std::vector<const plan::Step*>& steps,
              const LoadSettings& settings, pg::Connection* source, pg::Connection& target) {
  job.set_current_table(task.target_qualified);
  copy::CopyStats stats;
  target.exec("BEGIN");
  if (settings.include_data && !task.partitioned_parent) {
    job.set_phase("copying data");
    // TRUNCATE in this transaction lets COPY write frozen rows (and, with
    // wal_level=minimal, skip WAL): the table was created empty in pre-data.
    // Not for a small table of a first run: its new file costs more than it
    // saves (committing the TRUNCATE scans all of shared_buffers for the
    // old file's pages, ~2 ms with 1 GB; below wal_skip_threshold's 2 MB the
    // server writes the new file's pages to WAL at commit anyway). A resumed
    // job truncates every table: one may hold rows loaded before.
    const bool fresh_file = job.resumed_from() != 0 || task.estimated_bytes >= kFreshFileMinBytes;
    if (fresh_file) target.exec("TRUNCATE ONLY " + task.target_qualified);
    const copy::CopyStatements statements = copy::copy_statements(
        {task.source_copy_select, task.whole_table_copy ? task.source_from : ""}, task.target_qualified,
        task.copy_columns, task.binary_copy, fresh_file);
    // A sample's rows are named by ctid: read them with a TID scan.
    if (!task.row_filter.empty()) source->exec(std::string("SET ") + sample::kSeqScanSetting + " = off");
    try {
      stats = relay_for_job(job, *source, statements.source, target, statements.target);
      if (!task.row_filter.empty()) source->exec(std::string("RESET ") + sample::kSeqScanSetting);
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate, "could not copy the data of " + task.target_qualified + ": " + e.message,
                        e.detail, e.hint, e.context);
    }
  }
  if (!steps.empty()) job.set_phase("building indexes");
  run_steps_pipelined(target, steps);
  job.set_phase("copying data");
  target.exec("COMMIT");
  job.journal().mark_task_done(task.id, stats.rows, stats.bytes);
  // Statistics right away, while the other workers still load: the clone is
  // ready to query when the job ends. A partitioned parent is analyzed once
  // its partitions are in (by the caller, at the end).
  if (settings.include_data && !task.partitioned_parent) analyze_loaded_table(job, target, task.target_qualified);
}

// A table's load and its indexes, constraints and triggers commit together,
// so finding any of them on the target means its load committed — possibly
// just before the previous agent died, too late to journal it.
bool load_committed_before(pg::Connection& target, const plan::TableTask& task,
                           const std::vector<const plan::Step*>& steps) {
  if (steps.empty()) return false;  // nothing tells; reloading it is harmless
  pg::Result r = target.query(
      "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indrelid = $1::pg_catalog.regclass)"
      "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = $1::pg_catalog.regclass"
      "               AND NOT tgisinternal)"
      "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = $1::pg_catalog.regclass"
      "               AND contype IN ('p', 'u', 'x', 'f'))",
      {task.target_qualified});
  return r.get(0, 0) == "t";
}

void worker(jobs::Job& job, LoadQueue& queue, const LoadSettings& settings, std::atomic<std::int64_t>& done,
            bool first) {
  try {
    std::optional<pg::Connection> own_source;
    pg::Connection* source = nullptr;
    if (settings.include_data && first && settings.snapshot_session) {
      source = settings.snapshot_session;
    } else if (settings.include_data) {
      source = &own_source.emplace(open_worker_source(settings.source_conninfo, settings.snapshot_id, job));
    }
    std::unique_ptr<Enlisted> source_guard;
    if (source) source_guard = std::make_unique<Enlisted>(job, queue.group(), *source);
    pg::Connection target = open_target(settings.target_conninfo, job);
    target.exec("SET check_function_bodies = off");
    Enlisted target_guard(job, queue.group(), target);
    while (const plan::TableTask* task = queue.next()) {
      throw_if_stopped(job);
      const auto& steps = queue.steps_of(task->id);
      if (job.resumed_from() != 0 && load_committed_before(target, *task, steps)) {
        job.journal().mark_task_done(task->id, 0, 0);
      } else {
        load_one(job, *task, steps, settings, source, target);
      }
      job.set_tables(static_cast<std::int64_t>(queue.total()), ++done);
    }
  } catch (...) {
    queue.group().fail(std::current_exception());
  }
}

}  // namespace

void load_tables(jobs::Job& job, const plan::ClonePlan& plan, const LoadSettings& settings) {
  LoadQueue queue(plan, job.journal());
  std::atomic<std::int64_t> done{static_cast<std::int64_t>(queue.total() - queue.size())};
  job.set_tables(static_cast<std::int64_t>(queue.total()), done);
  if (queue.size() == 0) return;
  const int threads = std::max(1, std::min<int>(settings.workers, static_cast<int>(queue.size())));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] { worker(job, queue, settings, done, i == 0); });
  }
  for (std::thread& thread : pool) thread.join();
  if (std::exception_ptr failure = queue.group().failure()) std::rethrow_exception(failure);
}

}  // namespace pgclone::agent::clone
