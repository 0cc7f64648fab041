#pragma once
// pgclone.schema(), database(), database_create() and functions(): many
// objects from one source snapshot, created in dependency order, tables
// loaded in parallel. "OK" means every object in scope arrived; any failure
// fails the call with an error naming the object, and the target is put back
// as it was (schemas this clone created are dropped, moved-aside ones return).

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::clone {

std::string clone_schemas(jobs::Job& job);

}  // namespace pgclone::agent::clone
