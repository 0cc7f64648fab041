// Privileges of the system catalog objects (pg_catalog, information_schema:
// relations, their columns, functions) that a database's owner or a
// superuser changed, say `GRANT SELECT (rolname) ON pg_authid TO r` or
// `REVOKE EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) FROM PUBLIC`.
// pg_dump dumps them as the difference from pg_init_privs; a database
// clone turns the target's ACL of each object changed on either side into
// the source's, so a hardened source stays as hardened.
#pragma once

#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

// Adds Section::kLast privilege steps. source: inside the job's snapshot;
// target: no transaction open. 42501 up front when the ACLs differ and the
// caller may not change them (their owner is the bootstrap superuser).
void add_system_object_privilege_steps(pg::Connection& source, pg::Connection& target, const jobs::Job& job,
                                       plan::ClonePlan& plan);

}  // namespace pgclone::agent::clone
