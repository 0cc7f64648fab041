// Privileges of an object a clone finds on the target instead of creating
// it (a reused schema, the database, a system catalog object): the step
// that turns the target's current ACL into the source's. Its owner entries
// are named as the target's owner (the caller does not own the object).
#pragma once

#include <string>
#include <vector>

#include "ddl/privilege_ddl.h"
#include "jobs/job.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

struct OwnedAcl {
  std::string owner;
  std::vector<std::string> acl;  // never NULL: acldefault() when the catalog has NULL
  bool caller_may_change = true;  // read on the target: the caller is a member of the owner
};

// The object as GRANT names it: kind and `target` (for a column also `column`).
ddl::AclObject acl_target(ddl::AclObjectKind kind, const std::string& name_sql, const std::string& column_sql = "");

// 42501 unless the caller may change the object's ACL on the target.
void require_owner_rights(const OwnedAcl& target, const std::string& what, const jobs::Job& job);

// Adds a Section::kLast privileges step turning `target`'s ACL into
// `source`'s (recorded in plan.privileges, so the "privileges" option
// applies); nothing when no statement would run. `owner_moved`: an owner
// step before it gave the object to the source's owner. Throws 42501 (see
// require_owner_rights) before anything changes.
void add_acl_step(plan::ClonePlan& plan, const std::string& id, ddl::AclObject object, const OwnedAcl& source,
                  const OwnedAcl& target, bool owner_moved, const std::string& what, const jobs::Job& job);

}  // namespace pgclone::agent::clone
