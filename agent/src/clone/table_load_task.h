#pragma once
// One table's load, wherever it runs (a loading thread of the coordinator or
// a slot of a worker agent): one target transaction — TRUNCATE when needed,
// COPY … FREEZE, then the table's own indexes, constraints and triggers,
// COMMIT — so a table is either complete or empty, and no trigger fires
// during its load. ANALYZE follows the commit.

#include <cstdint>
#include <functional>
#include <vector>

#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

struct TableLoadInput {
  const plan::TableTask& task;
  const std::vector<const plan::Step*>& steps;  // the table's own (Section::kTablePost)
  bool include_data = true;
  // Rows of an earlier attempt may be in the table (a resumed job, or the
  // retry of a lost worker's task): it is truncated, and skipped when its
  // indexes show that an earlier load committed.
  bool redo = false;
  bool phases = true;  // the job's phase follows this table's
};

struct TableLoadOutcome {
  bool loaded_before = false;  // redo found an earlier load committed: nothing was done
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
};

// `committed` runs right after COMMIT (to journal the table), before ANALYZE.
// source may be null when !include_data. Throws PgError naming the table.
TableLoadOutcome load_table(jobs::Job& job, const TableLoadInput& input, pg::Connection* source,
                            pg::Connection& target, const std::function<void(const TableLoadOutcome&)>& committed);

}  // namespace pgclone::agent::clone
