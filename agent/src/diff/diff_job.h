#pragma once
// pgclone.diff(conninfo, schema) as a job of the agent: the schema's objects
// on the source against the same schema in the calling (target) database,
// as the JSON drift report of report_json.h.
//
// Each side is read in one REPEATABLE READ READ ONLY transaction with the
// clone's catalog readers (snapshot_reader.h); nothing is changed on either
// side. The target is read in the caller's own session role, as a clone
// would run there.

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::diff {

// Throws pg::PgError: 3F000 for a schema the source does not have (one the
// target lacks is no error: everything is then only in the source), and the
// connections' errors as a clone would (08001 for an unreachable source).
std::string diff_schema(jobs::Job& job);

}  // namespace pgclone::agent::diff
