#pragma once
// pgclone.table(): one table's structure and data, in one target transaction,
// so a failure or cancel at any point leaves the target as it was.

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::clone {

// Returns the SQL function's result text ("OK: …" or "SKIPPED: …"); throws
// pg::PgError (server errors keep their SQLSTATE, detail and hint).
std::string clone_table(jobs::Job& job);

}  // namespace pgclone::agent::clone
