#include "plan/privilege_steps.h"

#include <set>

#include "ddl/sql_text.h"
#include "plan/owner_steps.h"

namespace pgclone::agent::plan {
namespace {

ddl::AclObjectKind kind_of(const std::string& kind) {
  if (kind == "sequence") return ddl::AclObjectKind::kSequence;
  if (kind == "column") return ddl::AclObjectKind::kColumn;
  if (kind == "function") return ddl::AclObjectKind::kFunction;
  if (kind == "procedure") return ddl::AclObjectKind::kProcedure;
  if (kind == "type") return ddl::AclObjectKind::kType;
  if (kind == "schema") return ddl::AclObjectKind::kSchema;
  if (kind == "foreign_data_wrapper") return ddl::AclObjectKind::kForeignDataWrapper;
  if (kind == "foreign_server") return ddl::AclObjectKind::kForeignServer;
  return ddl::AclObjectKind::kTable;
}

}  // namespace

ddl::AclObject acl_object(const catalog::PrivilegeEntry& entry, const std::string& target_schema,
                          const std::string& target_name) {
  ddl::AclObject object;
  object.kind = kind_of(entry.kind);
  object.owner = entry.owner;
  object.acl = entry.acl;
  if (object.kind == ddl::AclObjectKind::kSchema) {
    object.target = ddl::quote_ident(target_schema);
  } else if (object.kind == ddl::AclObjectKind::kForeignDataWrapper || object.kind == ddl::AclObjectKind::kForeignServer) {
    object.target = ddl::quote_ident(target_name);
  } else {
    object.target = ddl::qualified_name(target_schema, target_name);
  }
  if (object.kind == ddl::AclObjectKind::kFunction || object.kind == ddl::AclObjectKind::kProcedure)
    object.target += "(" + entry.arguments + ")";
  if (object.kind == ddl::AclObjectKind::kColumn) object.column = ddl::quote_ident(entry.column);
  return object;
}

void add_privilege_steps(PlanBuilder& plan, const std::vector<catalog::PrivilegeEntry>& entries, Section section,
                         bool source_owners) {
  std::set<std::string> present;
  for (const Step& s : plan.steps) present.insert(s.id);
  for (const catalog::PrivilegeEntry& entry : entries) {
    const std::string* object_step = plan.step_for_key(entry.key);
    if (!object_step || !present.count(*object_step)) continue;
    const std::string object_step_id = *object_step;
    ddl::AclObject object = acl_object(entry, entry.schema, entry.name);
    const std::string owner_step = owner_step_id(entry.key);
    object.source_owner = source_owners && plan.has(owner_step);
    std::vector<ddl::PrivilegeStatement> statements = ddl::privilege_statements(object);
    if (statements.empty()) continue;
    Step step;
    step.id = "privileges:" + entry.key + (entry.column.empty() ? "" : ":" + entry.column);
    step.kind = "privileges";
    step.description = "privileges of " + statements.front().object;
    step.section = section;
    for (const auto& s : statements) step.statements.push_back(s.sql);
    // The object's own step first: the executor skips the privileges of a
    // schema it did not create by it.
    step.depends_on = {object_step_id};
    if (object.source_owner) step.depends_on.push_back(owner_step);
    plan.privileges[step.id] = std::move(statements);
    plan.add(std::move(step));
  }
}

}  // namespace pgclone::agent::plan
