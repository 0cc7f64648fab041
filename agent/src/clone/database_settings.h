// Settings a database clone carries into the target database: the source
// database's own (ALTER DATABASE … SET) and its roles' settings in it
// (ALTER ROLE … IN DATABASE … SET), as pg_dump --create does. Settings
// the target already has with the same value are left alone, and so are
// pgclone.* (they locate the target's own agent) and settings the target
// has beyond the source's.
#pragma once

#include <functional>
#include <string>

#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

// Adds Section::kLast steps; `database_name`: the target database's (unquoted). source: inside the job's snapshot, connected
// to the cloned database; target: connected to the database cloned into,
// no transaction open. `require_database_owner` throws when the caller may
// not change the database's settings (called only when there are some).
// A role missing on the target: its settings are skipped with a WARNING.
// Throws 42501 before anything is changed when the caller may not set a
// role's settings (PostgreSQL: superusers, the role itself, or CREATEROLE
// for a role that is not a superuser).
void add_database_settings_steps(pg::Connection& source, pg::Connection& target, const std::string& database_name,
                                 const std::function<void()>& require_database_owner, jobs::Job& job,
                                 plan::ClonePlan& plan);

}  // namespace pgclone::agent::clone
