#pragma once
// When a table's load may start while the objects are still being created:
// the loading workers start as soon as the first batches of pre-data commit,
// so the two overlap instead of the load waiting for the last CREATE.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

// For each table task (by id): how many of `pre_data` (in the order they
// run and commit) must have committed before its load may start. A table is
// ready once its own CREATE has committed, every object its indexes,
// constraints and triggers use has, and so has every pre-data step that
// changes it (a security label, a sequence OWNED BY it; owners and privileges
// where a plan puts them in pre-data): those update its catalog rows or
// lock it, and the load's transaction would wait on (or collide with) a
// batch not yet committed.
// Views and routines only read it; one created after its load began waits
// for that load's transaction (which holds the table's exclusive lock from
// TRUNCATE or ADD PRIMARY KEY to COMMIT) and nothing waits the other way —
// so only a table expected to load quickly lets its readers wait for it; a
// larger one waits for its readers instead, or one view could hold the rest
// of pre-data, and every table behind it, for the whole of a big load.
// Tables not in the map need nothing of pre_data.
// Below this estimated size (source, TOAST included) a table's load is
// short enough for a view or routine creation to wait for it.
constexpr std::int64_t kShortLoadMaxBytes = 8 * 1024 * 1024;

std::map<std::string, std::size_t> load_readiness(const plan::ClonePlan& plan,
                                                  const std::vector<const plan::Step*>& pre_data);

}  // namespace pgclone::agent::clone
