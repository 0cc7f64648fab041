// Ordering of plan steps by their dependencies. Pure.
#pragma once

#include <string>
#include <vector>

#include "plan/clone_plan.h"

namespace pgclone::agent::plan {

// Topologically sorts steps by depends_on. Among steps that are ready at the
// same time, the one whose kind comes first (kind_priority) goes first, then
// the smaller id, so the same catalog always gives the same plan. depends_on
// entries naming no step are dropped (objects outside the scope), as are
// duplicates. Throws std::logic_error naming the steps of a cycle, or a
// duplicate step id.
std::vector<Step> order_steps(std::vector<Step> steps);

// Rank of a step kind: schemas, extensions, types, functions, sequences,
// tables, views, then what follows a table's data, then post-data kinds.
// Unknown kinds rank last.
int kind_priority(const std::string& kind);

}  // namespace pgclone::agent::plan
