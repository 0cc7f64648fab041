// What only database clones bring, besides schemas: publications, event
// triggers and the ACLs of large objects. All in Section::kLast, after the
// tables and the large objects exist: publications name tables, and event
// triggers must fire for nothing the clone does (they are created disabled
// and enabled by "event_trigger_enable" steps, which the executor runs once
// the clone is otherwise complete).
#pragma once

#include <string>
#include <vector>

#include "catalog/event_trigger_catalog.h"
#include "catalog/owner_catalog.h"
#include "catalog/privilege_catalog.h"
#include "catalog/publication_catalog.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

inline constexpr const char* kEventTriggerEnableKind = "event_trigger_enable";
inline constexpr const char* kLargeObjectPrivilegesKind = "large_object_privileges";
inline constexpr const char* kLargeObjectOwnerKind = "large_object_owner";

// A table the plan does not create is left out of its publications (with a
// notice), and so is a schema not in `schemas`.
void add_publication_steps(PlanBuilder& plan, std::vector<catalog::PublicationDefinition> publications,
                           const std::vector<std::string>& schemas);

void add_event_trigger_steps(PlanBuilder& plan, const std::vector<catalog::EventTriggerDefinition>& triggers);

// "owner": "source": ALTER LARGE OBJECT ... OWNER TO, one step per large
// object (add them before the privilege steps, which then name that owner).
// The executor runs them only when it copied the large objects.
void add_large_object_owner_steps(PlanBuilder& plan, const std::vector<catalog::OwnerEntry>& entries);

// The statements are recorded in plan.privileges too (the privilege filter
// applies). The executor runs them only when it copied the large objects.
void add_large_object_privilege_steps(PlanBuilder& plan, const std::vector<catalog::PrivilegeEntry>& entries);

}  // namespace pgclone::agent::plan
