#include "plan/security_label_steps.h"

#include "ddl/security_label_ddl.h"

namespace pgclone::agent::plan {

void add_security_label_steps(PlanBuilder& plan, const std::vector<catalog::SecurityLabel>& labels) {
  for (const catalog::SecurityLabel& label : labels) {
    const std::string* object_step = plan.step_for_key(label.key);
    const Step* object = object_step ? plan.find(*object_step) : nullptr;
    if (!object) continue;
    const std::string object_step_id = object->id;
    const Section section = object->section == Section::kLast ? Section::kLast : Section::kPostData;
    const auto statement = ddl::security_label_statement(label);
    if (!statement) {
      plan.notice("security label of " + label.kind + " " + label.identity + " (provider " + label.provider +
                  ") left out: SECURITY LABEL does not take that kind of object");
      continue;
    }
    plan.add({"security_label:" + label.key + ":" + std::to_string(label.subid) + ":" + label.provider,
              "security_label", "security label of " + label.kind + " " + label.identity, section, "",
              {*statement}, {object_step_id}});
  }
}

}  // namespace pgclone::agent::plan
