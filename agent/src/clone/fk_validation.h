#pragma once
// Foreign keys are added NOT VALID with the other post-data steps and
// validated here: each validation scans its table (and probes the referenced
// key), so several run at once, one per connection, up to the job's
// `parallel` (in free slots of worker agents when the agent has them).
// VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE on the table
// and ROW SHARE on the referenced one, so validations do not block each other.

#include <string>

#include "jobs/job.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

// Steps of kind kValidationKind are left out of the post-data section and run here.
inline constexpr const char* kValidationKind = "fk_validate";

// Runs the plan's validation steps on up to `workers` target connections.
// Each commits on its own and is journaled; validating again is harmless,
// so a resumed job redoes only those not journaled. Throws the first
// failure (naming the foreign key); the other validations are cancelled.
void validate_foreign_keys(jobs::Job& job, const plan::ClonePlan& plan, const std::string& target_conninfo,
                           int workers);

}  // namespace pgclone::agent::clone
