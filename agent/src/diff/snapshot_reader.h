#pragma once
// Reads one side of a diff with the clone's own catalog readers, so that what
// a clone reproduces is what diff compares.
//
// Preconditions (the caller's): search_path = '' on the session (as every job
// session has, clone/job_session.h) and a REPEATABLE READ READ ONLY
// transaction open, so the whole side is read from one snapshot. Reads
// only.

#include <string>

#include "diff/snapshot_facts.h"
#include "pg/connection.h"

namespace pgclone::agent::diff {

bool schema_exists(pg::Connection& conn, const std::string& schema);

// A schema the side does not have reads as empty (exists = false).
SideCatalog read_side(pg::Connection& conn, const std::string& schema);

}  // namespace pgclone::agent::diff
