#pragma once
// pgclone.clone_roles(conninfo [, role_names]) as a job of the agent: copies
// the source cluster's roles to the target cluster on the job's target
// session, which acts as the caller (pgclone.assume_role), so PostgreSQL
// itself refuses what the caller could not do. Everything that would be
// refused is checked first (42501, 42704), and the whole change is one
// target transaction: either every role is cloned or nothing changed.

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::clone {

// "OK: X roles created, Y roles updated, Z grants applied".
std::string clone_roles(jobs::Job& job);

}  // namespace pgclone::agent::clone
