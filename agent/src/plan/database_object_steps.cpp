#include "plan/database_object_steps.h"

#include <algorithm>

#include "catalog/dependency_reader.h"
#include "ddl/event_trigger_ddl.h"
#include "ddl/owner_ddl.h"
#include "ddl/privilege_ddl.h"
#include "ddl/publication_ddl.h"
#include "ddl/sql_text.h"
#include "plan/owner_steps.h"

namespace pgclone::agent::plan {

void add_publication_steps(PlanBuilder& plan, std::vector<catalog::PublicationDefinition> publications,
                           const std::vector<std::string>& schemas) {
  for (catalog::PublicationDefinition& p : publications) {
    Step step;
    step.id = "publication:" + p.name;
    step.kind = "publication";
    step.description = "publication " + ddl::quote_ident(p.name);
    step.section = Section::kLast;
    std::vector<catalog::PublicationTable> tables;
    for (catalog::PublicationTable& t : p.tables) {
      const std::string* table_step = plan.step_for_key(catalog::object_key(catalog::kPgClass, t.relation_oid));
      if (!table_step || !plan.has(*table_step)) {
        plan.notice("table " + ddl::qualified_name(t.schema, t.name) + " left out of publication " +
                    ddl::quote_ident(p.name) + ": it is not cloned");
        continue;
      }
      step.depends_on.push_back(*table_step);
      tables.push_back(std::move(t));
    }
    p.tables = std::move(tables);
    std::vector<std::string> in_scope;
    for (const std::string& s : p.schemas) {
      if (std::find(schemas.begin(), schemas.end(), s) != schemas.end()) {
        in_scope.push_back(s);
        step.depends_on.push_back("schema:" + s);
      } else {
        plan.notice("schema " + ddl::quote_ident(s) + " left out of publication " + ddl::quote_ident(p.name) +
                    ": it is not cloned");
      }
    }
    p.schemas = std::move(in_scope);
    step.statements = ddl::publication_statements(p);
    plan.add(std::move(step));
  }
}

void add_event_trigger_steps(PlanBuilder& plan, const std::vector<catalog::EventTriggerDefinition>& triggers) {
  for (const catalog::EventTriggerDefinition& t : triggers) {
    Step create;
    create.id = "event_trigger:" + t.name;
    create.kind = "event_trigger";
    create.description = "event trigger " + ddl::quote_ident(t.name);
    create.section = Section::kLast;
    create.statements = ddl::event_trigger_statements(t);
    if (const std::string* function = plan.step_for_key(catalog::object_key(catalog::kPgProc, t.function_oid)))
      create.depends_on.push_back(*function);
    std::vector<std::string> enable = ddl::event_trigger_enable_statements(t);
    plan.add(std::move(create));
    if (enable.empty()) continue;
    Step step;
    step.id = std::string(kEventTriggerEnableKind) + ":" + t.name;
    step.kind = kEventTriggerEnableKind;
    step.description = "event trigger " + ddl::quote_ident(t.name);
    step.section = Section::kLast;
    step.statements = std::move(enable);
    step.depends_on = {"event_trigger:" + t.name};
    plan.add(std::move(step));
  }
}

void add_large_object_owner_steps(PlanBuilder& plan, const std::vector<catalog::OwnerEntry>& entries) {
  for (const catalog::OwnerEntry& entry : entries) {
    Step step;
    step.id = owner_step_id(entry.key);
    step.kind = kLargeObjectOwnerKind;
    step.description = "owner of large object " + entry.name;
    step.section = Section::kLast;
    step.statements = {ddl::alter_owner_sql("LARGE OBJECT", entry.name, entry.owner)};
    plan.owners.insert(entry.owner);
    plan.add(std::move(step));
  }
}

void add_large_object_privilege_steps(PlanBuilder& plan, const std::vector<catalog::PrivilegeEntry>& entries) {
  for (const catalog::PrivilegeEntry& entry : entries) {
    ddl::AclObject object;
    object.kind = ddl::AclObjectKind::kLargeObject;
    object.target = entry.name;  // the OID, kept by the clone
    object.owner = entry.owner;
    object.acl = entry.acl;
    const std::string owner_step = owner_step_id(entry.key);
    object.source_owner = plan.has(owner_step);
    std::vector<ddl::PrivilegeStatement> statements = ddl::privilege_statements(object);
    if (statements.empty()) continue;
    Step step;
    step.id = "privileges:" + entry.key;
    step.kind = kLargeObjectPrivilegesKind;
    step.description = "privileges of large object " + entry.name;
    step.section = Section::kLast;
    for (const auto& s : statements) step.statements.push_back(s.sql);
    if (object.source_owner) step.depends_on = {owner_step};
    plan.privileges[step.id] = std::move(statements);
    plan.add(std::move(step));
  }
}

}  // namespace pgclone::agent::plan
