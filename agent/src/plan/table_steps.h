// One table of a schema clone as plan steps: its creation (pre-data), what
// follows its data (PK/UNIQUE/EXCLUDE, CHECKs added afterwards, indexes,
// CLUSTER/REPLICA IDENTITY, triggers, row-level security and policies, on the
// load's connection), and what waits for every table (FKs, attaching
// partition indexes, sequence positions). A partitioned table has no data, so
// all of its after-data steps run post-data.
#pragma once

#include <vector>

#include "catalog/policy_catalog.h"
#include "catalog/table_definition.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

struct TableStepOptions {
  bool indexes = true, constraints = true, triggers = true;
  std::int64_t estimated_bytes = 0;
};

// Row security and policies of this table (may be empty).
struct TableSecurity {
  const catalog::RowSecurity* row_security = nullptr;
  std::vector<const catalog::PolicyDefinition*> policies;
};

// The id of the step validating the foreign key added by step fk_step_id
// ("fk:..." -> "fk_validate:...").
std::string validation_step_id(const std::string& fk_step_id);

void add_table_steps(PlanBuilder& plan, const catalog::TableDefinition& table, const TableStepOptions& options,
                     const TableSecurity& security);

// Once every table is in: ATTACH PARTITION steps for partition indexes and
// the FK dependencies that are found by name (referenced table, its key and
// that key's attached partitions).
void link_table_steps(PlanBuilder& plan, const std::vector<catalog::TableDefinition>& tables);

}  // namespace pgclone::agent::plan
