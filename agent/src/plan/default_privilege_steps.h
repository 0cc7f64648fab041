// ALTER DEFAULT PRIVILEGES steps (see catalog/default_privilege_catalog.h),
// in Section::kLast as pg_dump emits them last: default privileges must not
// change the ACL of any object the clone creates.
//
// FOR ROLE names the source's role. Entries of a schema's owner become the
// caller's (no FOR ROLE), as the caller owns what the clone creates and the
// owner's privileges become the caller's (ddl/privilege_ddl.h); any other
// role is named, and the statements need it on the target (the executor's
// privilege filter treats it like a missing grantee).
#pragma once

#include <vector>

#include "catalog/default_privilege_catalog.h"
#include "ddl/privilege_ddl.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

ddl::AclObject default_privileges_object(const catalog::DefaultPrivilegeEntry& entry);

// One "default_privileges" step per entry that needs statements, after its
// schema's step; the statements are also recorded in plan.privileges.
void add_default_privilege_steps(PlanBuilder& plan, const std::vector<catalog::DefaultPrivilegeEntry>& entries);

}  // namespace pgclone::agent::plan
