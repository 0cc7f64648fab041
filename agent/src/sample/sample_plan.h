#pragma once
// What a table_sample() or schema_sample() job clones: its starting tables,
// every table the sample reaches through foreign keys (in whichever schema),
// and, once the rows are chosen, the row filter of each table's COPY.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "catalog/foreign_key_graph.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"
#include "sample/row_selection.h"

namespace pgclone::agent::sample {

struct SamplePlan {
  catalog::ForeignKeyGraph graph;
  SampleRequest request;  // starting rows by table oid, seed, children
  // The scope of the clone: the tops of the partition trees reached, as
  // (schema, name), and their schemas (the sampled schema first).
  std::set<std::pair<std::string, std::string>> tables;
  std::vector<std::string> schemas;
  std::size_t starting_tables = 0;
};

// Read in the job's snapshot. Errors: 3F000 (no such schema), 42P01 (no such
// table), 42809 (not a table), 22023 (options naming a table that does not
// start the sample).
SamplePlan plan_sample(pg::Connection& source, const jobs::Job& job);

// Makes each table's COPY read exactly its sampled rows (the masks, applied
// after, keep the filter: TableTask.row_filter).
void restrict_to_sample(plan::ClonePlan& plan, const catalog::ForeignKeyGraph& graph, const SampledRows& rows);

}  // namespace pgclone::agent::sample
