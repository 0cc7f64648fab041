// Plan steps giving the cloned objects their source's security labels: one
// step per label, after its object (and with the last steps when the object
// is created there, as event triggers and publications are).
#pragma once

#include <vector>

#include "catalog/security_label_catalog.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

// Labels of objects the plan does not create are not carried; a label on an
// object kind SECURITY LABEL cannot name is a notice.
void add_security_label_steps(PlanBuilder& plan, const std::vector<catalog::SecurityLabel>& labels);

}  // namespace pgclone::agent::plan
