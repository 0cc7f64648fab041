#pragma once
// Before a lost worker's task is redone, its target session must be gone: a
// worker cut off by the network cannot roll back itself, and its backend
// keeps waiting for COPY data with the table locked (and could, in theory,
// still commit). The coordinator finds the session by the task's
// application_name, terminates it and waits until it has ended.

#include <cstdint>
#include <string>

#include "jobs/job.h"

namespace pgclone::agent::cluster {

// Throws pg::PgError when the session is still there after the wait (the
// retry would then risk loading the table twice).
void end_lost_task_sessions(const std::string& target_conninfo, std::uint64_t task_id, const jobs::Job& job);

}  // namespace pgclone::agent::cluster
