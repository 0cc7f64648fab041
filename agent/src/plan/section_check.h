// Sections must agree with dependencies: the executor runs all pre-data
// steps, then each table's load with its after-data steps, then post-data.
// A view that needs a table's PRIMARY KEY (GROUP BY on the key) can only be
// created after that table's data; pg_dump postpones such objects too.
#pragma once

#include <string>
#include <vector>

#include "plan/clone_plan.h"

namespace pgclone::agent::plan {

// steps must be in dependency order. Moves to post-data every step that
// depends on something running later than itself (and, transitively, what
// depends on it), except tables, which cannot move and are reported.
void move_late_dependents(std::vector<Step>& steps, std::vector<std::string>& notices);

}  // namespace pgclone::agent::plan
