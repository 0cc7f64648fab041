// The "privileges" option applied to a clone's GRANT/REVOKE statements
// (ddl/privilege_ddl.h), against the roles that exist on the target.
// Revocations, and grants back to the owner that follow one, always run:
// a clone is never more open than its source.
#pragma once

#include <string>
#include <vector>

#include "ddl/privilege_ddl.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "pgclone/protocol/clone_options.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

class PrivilegeFilter {
 public:
  // Looks up, in one query, which grantees of `statements` (and roles
  // default privileges are for) are missing on the target. With mode
  // kClone, throws 42704 naming all of them (sorted) before anything is
  // changed. A statement for default privileges of a missing role is
  // skipped in every other mode, with a WARNING.
  PrivilegeFilter(pg::Connection& target, const std::vector<const ddl::PrivilegeStatement*>& statements,
                  protocol::PrivilegesMode mode);

  // The statements of one object to run, in order; a grant skipped because
  // its grantee is missing gets a WARNING on the job.
  std::vector<std::string> choose(const std::vector<ddl::PrivilegeStatement>& statements, jobs::Job& job) const;

  // The roles looked up that the target does not have, sorted.
  const std::vector<std::string>& missing_roles() const { return missing_; }

 private:
  bool missing(const std::string& role) const;

  protocol::PrivilegesMode mode_;
  std::vector<std::string> missing_;  // sorted
};

// Rewrites the statements of the plan's "privileges" steps by the job's
// "privileges" option (see PrivilegeFilter).
void filter_plan_privileges(pg::Connection& target, plan::ClonePlan& plan, jobs::Job& job);

// " (privileges not cloned)" when the option is false, "" otherwise: for
// result texts.
std::string privileges_result_note(const jobs::Job& job);

}  // namespace pgclone::agent::clone
