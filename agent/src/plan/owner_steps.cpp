#include "plan/owner_steps.h"

#include <set>

#include "ddl/owner_ddl.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::plan {

std::string owner_step_id(const std::string& key) { return "owner:" + key; }

void add_owner_steps(PlanBuilder& plan, const std::vector<catalog::OwnerEntry>& entries, Section section) {
  std::set<std::string> present;
  for (const Step& s : plan.steps) present.insert(s.id);
  for (const catalog::OwnerEntry& entry : entries) {
    const std::string* object_step = plan.step_for_key(entry.key);
    if (!object_step || !present.count(*object_step)) continue;
    // A table's owned sequences map to its step, but were read apart only
    // when standalone; anything else mapped to a step of another kind (a
    // constraint's index...) is not created on its own.
    std::string target = entry.keyword == "SCHEMA" ? ddl::quote_ident(entry.schema)
                                                   : ddl::qualified_name(entry.schema, entry.name);
    if (entry.keyword == "FUNCTION" || entry.keyword == "PROCEDURE") target += "(" + entry.arguments + ")";
    // ALTER AGGREGATE names an aggregate of no arguments as agg(*).
    if (entry.keyword == "AGGREGATE") target += "(" + (entry.arguments.empty() ? "*" : entry.arguments) + ")";
    Step step;
    step.id = owner_step_id(entry.key);
    step.kind = "owner";
    step.description = "owner of " + entry.keyword + " " + target;
    step.section = section;
    step.statements = {ddl::alter_owner_sql(entry.keyword, target, entry.owner)};
    step.depends_on = {*object_step};
    plan.owners.insert(entry.owner);
    plan.add(std::move(step));
  }
}

}  // namespace pgclone::agent::plan
