// Plan steps that give the cloned objects their source's privileges
// (GRANT/REVOKE, see ddl/privilege_ddl.h): one step per object (or column),
// after the object's own step, with the data's other post-data steps.
#pragma once

#include <string>
#include <vector>

#include "catalog/privilege_catalog.h"
#include "ddl/privilege_ddl.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

// The entry as an object to generate statements for, named on the target as
// target_schema.target_name (a table() clone may rename its table).
ddl::AclObject acl_object(const catalog::PrivilegeEntry& entry, const std::string& target_schema,
                          const std::string& target_name);

// Adds a "privileges" step for each entry whose object has a step in the
// plan (objects left out get none). `section`: kPostData, or kPreData for
// functions(), which has no other section. The statements of each step are
// also recorded in plan.privileges: the executor filters the GRANTs by the
// "privileges" option and the roles that exist on the target.
// With `source_owners` the objects keep their source owners (owner steps,
// see owner_steps.h): each privileges step follows its object's owner step,
// and the owner's entries name the owner rather than the caller.
void add_privilege_steps(PlanBuilder& plan, const std::vector<catalog::PrivilegeEntry>& entries, Section section,
                         bool source_owners = false);

}  // namespace pgclone::agent::plan
