// Plan steps giving the cloned objects their source's security labels: one
// step per label, after its object (and with the last steps when the object
// is created there, as event triggers and publications are).
#pragma once

#include <string>
#include <vector>

#include "catalog/security_label_catalog.h"
#include "plan/clone_plan.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

inline constexpr const char* kLargeObjectSecurityLabelKind = "large_object_security_label";

// Labels of objects the plan does not create are not carried; a label on an
// object kind SECURITY LABEL cannot name is a notice.
void add_security_label_steps(PlanBuilder& plan, const std::vector<catalog::SecurityLabel>& labels);

// Database clones: the labels of large objects (the others of `labels` are
// ignored), in Section::kLast. The executor runs them only when it copied
// the large objects (which keep their OIDs).
void add_large_object_security_label_steps(PlanBuilder& plan, const std::vector<catalog::SecurityLabel>& labels);

// Database clones: the source database's labels (read_database_security_labels)
// given to the target database, `database_sql` (quoted), in Section::kLast.
void add_database_security_label_steps(ClonePlan& plan, const std::vector<catalog::SecurityLabel>& labels,
                                       const std::string& database_sql);

}  // namespace pgclone::agent::plan
