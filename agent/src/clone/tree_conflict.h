#pragma once
// The "conflict" option of table() for a partitioned table, applied to the
// whole partition tree: any relation of the tree whose name is taken on the
// target is a conflict. Runs in the clone's target transaction.

#include <string>
#include <vector>

#include "catalog/schema_catalog.h"
#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// Returns false when conflict=skip found a name taken (nothing changed).
// error: 42P07 naming the first relation taken (all of them in the detail).
// replace: drops each table of that name (the partitions of a dropped
// partitioned table go with it). rename: moves each aside to "<name>_old"
// (unique), with its indexes and owned sequences, as table() does for one
// table. A name taken by something other than a table is 42P07 in every mode.
bool resolve_tree_conflict(pg::Connection& target, jobs::Job& job, const std::vector<catalog::RelationEntry>& tree);

}  // namespace pgclone::agent::clone
