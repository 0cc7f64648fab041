#include "plan/default_privilege_steps.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::plan {
namespace {

ddl::AclObjectKind kind_of(char object_type) {
  switch (object_type) {
    case 'S': return ddl::AclObjectKind::kSequence;
    case 'f': return ddl::AclObjectKind::kFunction;
    case 'T': return ddl::AclObjectKind::kType;
    case 'n': return ddl::AclObjectKind::kSchema;
    default: return ddl::AclObjectKind::kTable;
  }
}

}  // namespace

ddl::AclObject default_privileges_object(const catalog::DefaultPrivilegeEntry& entry) {
  ddl::AclObject object;
  object.kind = kind_of(entry.object_type);
  object.owner = entry.role;
  object.acl = entry.acl;
  const bool callers = !entry.schema.empty() && entry.role == entry.schema_owner;
  object.default_privileges = "ALTER DEFAULT PRIVILEGES";
  if (!callers) {
    object.default_privileges += " FOR ROLE " + ddl::quote_ident(entry.role);
    object.owner_sql = ddl::quote_ident(entry.role);
    object.for_role = entry.role;
  }
  if (!entry.schema.empty()) {
    object.default_privileges += " IN SCHEMA " + ddl::quote_ident(entry.schema);
    // Privileges in a schema are added to the role's global ones: there is
    // no default to revoke from.
    object.baseline = std::vector<std::string>{};
    object.baseline_owner = entry.role;
  }
  return object;
}

void add_default_privilege_steps(PlanBuilder& plan, const std::vector<catalog::DefaultPrivilegeEntry>& entries) {
  for (const catalog::DefaultPrivilegeEntry& entry : entries) {
    const ddl::AclObject object = default_privileges_object(entry);
    std::vector<ddl::PrivilegeStatement> statements = ddl::privilege_statements(object);
    if (statements.empty()) continue;
    Step step;
    step.id = "default_privileges:" + entry.role + ":" + entry.schema + ":" + std::string(1, entry.object_type);
    step.kind = "default_privileges";
    step.description = statements.front().object;
    step.section = Section::kLast;
    for (const auto& s : statements) step.statements.push_back(s.sql);
    if (!entry.schema.empty()) step.depends_on = {"schema:" + entry.schema};
    plan.privileges[step.id] = std::move(statements);
    plan.add(std::move(step));
  }
}

}  // namespace pgclone::agent::plan
