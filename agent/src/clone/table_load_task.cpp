#include "clone/table_load_task.h"

#include "clone/analyze.h"
#include "clone/job_copy.h"
#include "clone/step_runner.h"
#include "copy/copy_relay.h"
#include "copy/copy_statements.h"
#include "sample/row_selection.h"

namespace pgclone::agent::clone {
namespace {

// Tables smaller than this (on the source, TOAST included) load into the
// file pre-data created (see load_table).
constexpr std::int64_t kFreshFileMinBytes = 2 * 1024 * 1024;

// A table's load and its indexes, constraints and triggers commit together,
// so finding any of them on the target means its load committed — possibly
// just before the previous agent (or a lost worker) died, too late to
// journal it.
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

}  // namespace

TableLoadOutcome load_table(jobs::Job& job, const TableLoadInput& input, pg::Connection* source,
                            pg::Connection& target, const std::function<void(const TableLoadOutcome&)>& committed) {
  const plan::TableTask& task = input.task;
  TableLoadOutcome outcome;
  if (input.redo && load_committed_before(target, task, input.steps)) {
    outcome.loaded_before = true;
    committed(outcome);
    return outcome;
  }
  job.set_current_table(task.target_qualified);
  target.exec("BEGIN");
  if (input.include_data && !task.partitioned_parent) {
    if (input.phases) job.set_phase("copying data");
    // TRUNCATE in this transaction lets COPY write frozen rows (and, with
    // wal_level=minimal, skip WAL): the table was created empty in pre-data.
    // Not for a small table of a first attempt: its new file costs more than
    // it saves (committing the TRUNCATE scans all of shared_buffers for the
    // old file's pages, ~2 ms with 1 GB; below wal_skip_threshold's 2 MB the
    // server writes the new file's pages to WAL at commit anyway). A redo
    // truncates every table: one may hold rows loaded before.
    const bool fresh_file = input.redo || task.estimated_bytes >= kFreshFileMinBytes;
    if (fresh_file) target.exec("TRUNCATE ONLY " + task.target_qualified);
    const copy::CopyStatements statements = copy::copy_statements(
        {task.source_copy_select, task.whole_table_copy ? task.source_from : ""}, task.target_qualified,
        task.copy_columns, task.binary_copy, fresh_file);
    // A sample's rows are named by ctid: read them with a TID scan.
    if (!task.row_filter.empty()) source->exec(std::string("SET ") + sample::kSeqScanSetting + " = off");
    try {
      const copy::CopyStats stats = relay_for_job(job, *source, statements.source, target, statements.target);
      outcome.rows = stats.rows;
      outcome.bytes = stats.bytes;
      if (!task.row_filter.empty()) source->exec(std::string("RESET ") + sample::kSeqScanSetting);
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate, "could not copy the data of " + task.target_qualified + ": " + e.message,
                        e.detail, e.hint, e.context);
    }
  }
  if (!input.steps.empty() && input.phases) job.set_phase("building indexes");
  run_steps_pipelined(target, input.steps);
  if (input.phases) job.set_phase("copying data");
  target.exec("COMMIT");
  committed(outcome);
  // Statistics right away, while the other tables still load: the clone is
  // ready to query when the job ends. A partitioned parent is analyzed once
  // its partitions are in (by the caller, at the end).
  if (input.include_data && !task.partitioned_parent) analyze_loaded_table(job, target, task.target_qualified);
  return outcome;
}

}  // namespace pgclone::agent::clone
