#include "plan/security_label_steps.h"

#include "ddl/security_label_ddl.h"

namespace pgclone::agent::plan {
namespace {

Step label_step(const catalog::SecurityLabel& label, const std::string& kind, Section section,
                const std::string& statement) {
  return {"security_label:" + label.key + ":" + std::to_string(label.subid) + ":" + label.provider, kind,
          "security label of " + label.kind + " " + label.identity, section, "", {statement}, {}};
}

}  // namespace

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
    Step step = label_step(label, "security_label", section, *statement);
    step.depends_on = {object_step_id};
    plan.add(std::move(step));
  }
}

void add_large_object_security_label_steps(PlanBuilder& plan, const std::vector<catalog::SecurityLabel>& labels) {
  for (const catalog::SecurityLabel& label : labels) {
    if (label.kind != "large object") continue;
    if (const auto statement = ddl::security_label_statement(label))
      plan.add(label_step(label, kLargeObjectSecurityLabelKind, Section::kLast, *statement));
  }
}

void add_database_security_label_steps(ClonePlan& plan, const std::vector<catalog::SecurityLabel>& labels,
                                       const std::string& database_sql) {
  for (catalog::SecurityLabel label : labels) {
    if (label.kind != "database") continue;
    label.identity = database_sql;  // the target database, whatever its name
    if (const auto statement = ddl::security_label_statement(label))
      plan.steps.push_back(label_step(label, "security_label", Section::kLast, *statement));
  }
}

}  // namespace pgclone::agent::plan
