#pragma once
// One read of a discovery on the source, in a savepoint and under a statement
// timeout of its own: a read that times out or is refused (no privilege on a
// table) costs that one answer, not the whole discovery. A stop of the job
// still ends the job.

#include <optional>
#include <string>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::discover {

// How long one sample or data check may take on the source.
inline constexpr const char* kReadTimeout = "15s";

// The result, or nullopt with `why` saying in a few words why not ("timed
// out", "permission denied", "failed with SQLSTATE XXXXX"). The server's own
// message is never kept: it could quote a value.
std::optional<pg::Result> guarded_read(pg::Connection& source, jobs::Job& job, const std::string& sql,
                                       std::string& why);

}  // namespace pgclone::agent::discover
