// Privileges of what a clone finds on the target instead of creating it:
// each schema it clones into without creating it (an empty schema it reuses,
// such as `public` in a database clone), and, for database clones, the
// target database itself (its ACL: CONNECT, TEMPORARY, CREATE; and its
// settings, clone/database_settings.h). With "owner": "source" they get the
// source's owner first (ALTER … OWNER TO). Database clones also get the
// privileges of changed system catalog objects and the database's
// security labels.
//
// Their ACL on the target is not acldefault() but whatever it is now, and
// their owner is the target's: the statements turn the target's current ACL
// into the source's (revoking what the target grants beyond it), naming the
// target's owner for the owner's own entries. Database settings other than
// pgclone.* (the target's own agent settings) are set as on the source.
#pragma once

#include <vector>

#include "clone/schema_conflict.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

// Adds Section::kLast steps to `plan` (privilege steps are recorded in
// plan.privileges, so the "privileges" option applies to their GRANTs).
// source: inside the job's snapshot; target: no transaction open. Throws
// 42501 before anything is changed when a statement is needed on an object
// the caller does not own (nor is a member of its owner, nor a superuser).
void add_existing_object_steps(pg::Connection& source, pg::Connection& target,
                               const std::vector<SchemaDisposition>& dispositions, bool database_clone,
                               jobs::Job& job, plan::ClonePlan& plan);

}  // namespace pgclone::agent::clone
