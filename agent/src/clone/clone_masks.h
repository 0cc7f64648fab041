#pragma once
// The masks of one clone job, resolved and checked against the source before
// the target is touched, then written into the COPY statements of the tables
// they apply to (see mask/).

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "jobs/job.h"
#include "mask/table_masks.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"
#include "plan/schema_planner.h"

namespace pgclone::agent::clone {

class CloneMasks {
 public:
  // A table clone's "mask" for `definition` (read in the job's snapshot).
  static CloneMasks for_table(jobs::Job& job, pg::Connection& source, const catalog::TableDefinition& definition);
  // A table clone of a partitioned table: its "mask" applies to the table
  // and, through it, to every partition of `tree` (read here).
  static CloneMasks for_tree(jobs::Job& job, pg::Connection& source, const std::vector<catalog::RelationEntry>& tree);
  // A schema or database clone's "masks" for the tables of `scope`, read
  // here in the job's snapshot (before conflicts are settled: a refused mask
  // changes nothing).
  static CloneMasks for_scope(jobs::Job& job, pg::Connection& source, const plan::CloneScope& scope);

  bool empty() const { return masks_.tables.empty(); }

  // The masked SELECT of a table, or nullopt when it has no masks.
  std::optional<std::string> copy_select(const std::string& source_schema, const std::string& source_name,
                                         const std::vector<std::string>& copy_columns, const std::string& from,
                                         const std::optional<std::string>& where) const;

  // Rewrites the masked tables' COPY statements of a schema clone's plan.
  void apply(plan::ClonePlan& plan) const;

 private:
  std::vector<catalog::TableDefinition> definitions_;
  mask::ResolvedMasks masks_;
};

}  // namespace pgclone::agent::clone
