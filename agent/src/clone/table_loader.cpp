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
#include "clone/load_queue.h"
#include "clone/sibling_group.h"
#include "clone/snapshot.h"
#include "clone/step_runner.h"
#include "copy/copy_relay.h"
#include "copy/copy_statements.h"
#include "pgclone/protocol/sqlstate.h"
#include "sample/row_selection.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

// Tables smaller than this (on the source, TOAST included) load into the
// file pre-data created (see load_one).
constexpr std::int64_t kFreshFileMinBytes = 2 * 1024 * 1024;

// `phases`: whether the job's phase follows this table's; not while the
// objects are still being created (that is the phase then).
void load_one(jobs::Job& job, const plan::TableTask& task, const std::vector<const plan::Step*>& steps,
              const LoadSettings& settings, pg::Connection* source, pg::Connection& target, bool phases) {
  job.set_current_table(task.target_qualified);
  copy::CopyStats stats;
  target.exec("BEGIN");
  if (settings.include_data && !task.partitioned_parent) {
    if (phases) job.set_phase("copying data");
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
  if (!steps.empty() && phases) job.set_phase("building indexes");
  run_steps_pipelined(target, steps);
  if (phases) job.set_phase("copying data");
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
    while (const plan::TableTask* task = queue.next(job)) {
      throw_if_stopped(job);
      const auto& steps = queue.steps_of(task->id);
      if (job.resumed_from() != 0 && load_committed_before(target, *task, steps)) {
        job.journal().mark_task_done(task->id, 0, 0);
      } else {
        load_one(job, *task, steps, settings, source, target, queue.all_created());
      }
      job.set_tables(static_cast<std::int64_t>(queue.total()), ++done);
    }
  } catch (...) {
    queue.fail(std::current_exception());
  }
}

}  // namespace

TableLoad::TableLoad(jobs::Job& job, const plan::ClonePlan& plan, const LoadSettings& settings,
                     const std::map<std::string, std::size_t>& readiness)
    : job_(job), settings_(settings), queue_(std::make_unique<LoadQueue>(plan, job.journal(), readiness)) {
  auto done = std::make_shared<std::atomic<std::int64_t>>(static_cast<std::int64_t>(queue_->total() - queue_->size()));
  job.set_tables(static_cast<std::int64_t>(queue_->total()), *done);
  const int threads = std::max(0, std::min<int>(settings_.workers, static_cast<int>(queue_->size())));
  for (int i = 0; i < threads; ++i) {
    workers_.emplace_back([this, done, i] { worker(job_, *queue_, settings_, *done, i == 0); });
  }
}

TableLoad::~TableLoad() {
  if (workers_.empty()) return;
  queue_->fail(std::make_exception_ptr(pg::PgError(protocol::sqlstate::kQueryCanceled, "the table load was stopped")));
  for (std::thread& thread : workers_) thread.join();
}

void TableLoad::objects_created(std::size_t steps) { queue_->objects_created(steps); }

SiblingGroup& TableLoad::siblings() { return queue_->group(); }

void TableLoad::throw_if_failed() {
  if (std::exception_ptr failure = queue_->group().failure()) std::rethrow_exception(failure);
}

void TableLoad::finish() {
  queue_->all_objects_created();
  for (std::thread& thread : workers_) thread.join();
  workers_.clear();
  throw_if_failed();
}

}  // namespace pgclone::agent::clone
