#pragma once
// Database clones bring large objects: same OIDs (as pg_dump keeps them),
// data copied in bounded chunks, comments included.

#include <cstdint>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// source: inside the job's snapshot. target: in an open transaction.
// Returns how many large objects were copied.
std::int64_t copy_large_objects(jobs::Job& job, pg::Connection& source, pg::Connection& target);

}  // namespace pgclone::agent::clone
