// Publications and event triggers belong to the database, not to a schema,
// so a schema's conflict handling cannot move them aside. One of the same
// name on the target follows the `conflict` option here: error (42710,
// before anything is changed), skip (the target's is kept, with a notice),
// replace (dropped and created again, in the clone's last transaction),
// rename (the target's becomes <name>_old, or _old1...). Also checked up front: only
// superusers create event triggers and publications FOR ALL TABLES or FOR
// TABLES IN SCHEMA (42501).
#pragma once

#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

void resolve_database_object_conflicts(pg::Connection& target, plan::ClonePlan& plan, jobs::Job& job);

}  // namespace pgclone::agent::clone
