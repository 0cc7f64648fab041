#pragma once
// pgclone.discover_sensitive(conninfo, schema) as a job of the agent: which
// columns of the schema's tables hold sensitive data, by their names and a
// bounded sample of their values, and the mask each should get, as JSON the
// "masks" option takes unchanged: {"table": {"column": rule, ...}, ...}.
//
// Runs in one REPEATABLE READ READ ONLY transaction on the source; each
// sample and data check is bounded (guarded_read). Sampled values are
// tallied and dropped at once: they never reach the result, the job's
// records, notices, errors or the log.

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::discover {

// Throws pg::PgError: 3F000 for a schema the source does not have, and the
// source connection's errors as a clone would.
std::string discover_sensitive(jobs::Job& job);

}  // namespace pgclone::agent::discover
