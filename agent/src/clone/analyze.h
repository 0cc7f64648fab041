#pragma once
// Statistics for a freshly loaded table, so the clone is ready to query.

#include <string>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// ANALYZE on the target after the table's load committed. The data is in:
// a failure is a warning on the job, never a failed clone (a cancel still
// ends the job, through the caller's next check).
void analyze_loaded_table(jobs::Job& job, pg::Connection& target, const std::string& qualified_table);

}  // namespace pgclone::agent::clone
