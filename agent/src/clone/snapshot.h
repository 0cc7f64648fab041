#pragma once
// One instant for a whole job: the keeper connection opens REPEATABLE READ
// READ ONLY, locks every relation in scope (ACCESS SHARE, as pg_dump does),
// and exports its snapshot; every other source connection of the job imports
// it, so all DDL and data come from the same moment.

#include <string>
#include <vector>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// Locks the relations (quoted, qualified names) in the keeper's transaction.
void lock_relations(pg::Connection& keeper, const std::vector<std::string>& relations);

// The keeper's snapshot id, to hand to worker connections.
std::string export_snapshot(pg::Connection& keeper);

// A worker's source connection inside its own REPEATABLE READ READ ONLY
// transaction, importing snapshot_id when it is not empty.
pg::Connection open_worker_source(const std::string& conninfo, const std::string& snapshot_id, jobs::Job& job);

}  // namespace pgclone::agent::clone
