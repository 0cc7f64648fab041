// Foreign data wrappers and servers the target already has are used as
// they are: their steps (with their user mappings and privileges) leave the
// plan, with a notice. A schema clone says which servers it creates for its
// foreign tables. User mappings for roles the target lacks are skipped with
// a WARNING. Runs before anything is changed on the target.
#pragma once

#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

void settle_foreign_servers(pg::Connection& target, plan::ClonePlan& plan, jobs::Job& job, bool database_clone);

}  // namespace pgclone::agent::clone
