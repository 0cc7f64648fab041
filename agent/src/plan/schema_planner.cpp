#include "plan/schema_planner.h"

#include <map>
#include <set>

#include "catalog/dependency_reader.h"
#include "catalog/extra_objects_catalog.h"
#include "catalog/policy_catalog.h"
#include "catalog/owner_catalog.h"
#include "catalog/privilege_catalog.h"
#include "catalog/routine_catalog.h"
#include "catalog/schema_catalog.h"
#include "catalog/table_catalog.h"
#include "catalog/type_catalog.h"
#include "catalog/view_catalog.h"
#include "ddl/sql_text.h"
#include "catalog/default_privilege_catalog.h"
#include "catalog/event_trigger_catalog.h"
#include "catalog/publication_catalog.h"
#include "plan/database_object_steps.h"
#include "plan/default_privilege_steps.h"
#include "plan/dependency_order.h"
#include "plan/foreign_steps.h"
#include "plan/object_kind_steps.h"
#include "plan/object_steps.h"
#include "plan/plan_builder.h"
#include "plan/owner_steps.h"
#include "plan/privilege_steps.h"
#include "plan/security_label_steps.h"
#include "plan/section_check.h"
#include "plan/table_filter.h"
#include "plan/table_steps.h"

namespace pgclone::agent::plan {

namespace {

using catalog::object_key;
using catalog::RelationEntry;

bool is_table(const RelationEntry& r) { return r.relkind == 'r' || r.relkind == 'p' || r.relkind == 'f'; }

// Views whose row type is needed by something they (may) use: functions,
// types. Those views start as placeholders.
std::set<std::string> views_needing_placeholders(const std::vector<catalog::DependencyEdge>& edges,
                                                 const std::vector<catalog::ViewDefinition>& views) {
  std::set<std::string> view_keys, out;
  for (const auto& v : views)
    if (v.relkind == 'v') view_keys.insert(object_key(catalog::kPgClass, v.oid));
  for (const auto& e : edges)
    if (e.via_row_type && view_keys.count(e.referenced) && e.dependent.rfind("1259:", 0) != 0)
      out.insert(e.referenced.substr(5));
  return out;
}

void add_dependencies(PlanBuilder& plan, const std::vector<catalog::DependencyEdge>& edges,
                      const std::set<std::string>& placeholders) {
  for (const auto& e : edges) {
    const std::string* from = plan.step_for_key(e.dependent);
    const std::string* to = plan.step_for_key(e.referenced);
    if (!from || !to || *from == *to) continue;
    std::string target = *to;
    if (e.via_row_type && e.dependent.rfind("1259:", 0) != 0 && placeholders.count(e.referenced.substr(5)))
      target = "view_placeholder:" + to->substr(std::string("view:").size());
    plan.depend(*from, target);
  }
}

// Objects using a table or materialized view that is not cloned (or a key or
// index the options leave out) cannot be created; foreign keys can (they
// reference the table by name).
void drop_dependents_of_left_out(PlanBuilder& plan, const std::vector<catalog::DependencyEdge>& edges,
                                 const std::set<std::string>& left_out) {
  std::set<std::string> dropped;
  for (const auto& e : edges) {
    if (!left_out.count(e.referenced)) continue;
    const std::string* from = plan.step_for_key(e.dependent);
    const Step* s = from ? plan.find(*from) : nullptr;
    if (s && s->kind != "fk" && s->kind != "table") dropped.insert(s->id);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& s : plan.steps) {
      if (dropped.count(s.id) || s.kind == "fk" || s.kind == "table") continue;
      // A placeholder without its view would leave a fake view behind.
      if (s.kind == "view_placeholder" && dropped.count("view:" + s.id.substr(s.id.find(':') + 1))) {
        dropped.insert(s.id);
        changed = true;
        continue;
      }
      for (const auto& d : s.depends_on)
        if (dropped.count(d)) {
          dropped.insert(s.id);
          changed = true;
          break;
        }
    }
  }
  if (dropped.empty()) return;
  std::vector<Step> kept;
  for (auto& s : plan.steps) {
    if (dropped.count(s.id))
      plan.notice(s.description + " left out: it depends on a table, materialized view, key or index that is not cloned");
    else
      kept.push_back(std::move(s));
  }
  plan.steps = std::move(kept);
}

// CASCADE brings what an extension requires when that is not in scope
// itself; when it is, the extension steps are ordered by their pg_depend.
void add_extensions(PlanBuilder& plan, pg::Connection& source, const std::vector<std::string>& schemas,
                    const std::vector<catalog::DependencyEdge>& edges) {
  std::map<std::string, catalog::ExtensionDefinition> by_oid;
  for (auto& e : catalog::read_extensions(source)) by_oid[e.oid] = e;
  std::map<std::string, std::vector<std::string>> users;  // extension oid -> steps
  const std::set<std::string> in_scope(schemas.begin(), schemas.end());
  for (const auto& [oid, e] : by_oid)
    if (in_scope.count(e.schema)) users[oid];
  for (const auto& use : catalog::read_extension_uses(source))
    if (const std::string* step = plan.step_for_key(use.dependent)) users[use.extension_oid].push_back(*step);
  for (const auto& [oid, steps] : users) {
    const auto& e = by_oid.at(oid);
    const std::string id = "extension:" + e.name;
    std::vector<std::string> statements;
    // An extension living in a schema outside the scope (say "extensions")
    // still needs that schema on the target, as it is on the source.
    if (!in_scope.count(e.schema) && e.schema != "pg_catalog") {
      statements.push_back("CREATE SCHEMA IF NOT EXISTS " + ddl::quote_ident(e.schema));
    }
    statements.push_back("CREATE EXTENSION IF NOT EXISTS " + ddl::quote_ident(e.name) + " WITH SCHEMA " +
                         ddl::quote_ident(e.schema) + " CASCADE");
    plan.add({id, "extension", "extension " + ddl::quote_ident(e.name), Section::kPreData, "",
              std::move(statements), {"schema:" + e.schema}});
    plan.map_key(object_key(catalog::kPgExtension, oid), id);
    for (const auto& s : steps) plan.depend(s, id);
  }
  for (const auto& e : edges) {
    if (e.dependent.rfind("3079:", 0) != 0 || e.referenced.rfind("3079:", 0) != 0) continue;
    const std::string* from = plan.step_for_key(e.dependent);
    const std::string* to = plan.step_for_key(e.referenced);
    if (from && to) plan.depend(*from, *to);
  }
}

}  // namespace

std::vector<std::string> list_user_schemas(pg::Connection& source) { return catalog::list_user_schemas(source); }

namespace {

bool in_only_tables(const CloneScope& scope, const catalog::RelationEntry& r) {
  if (scope.only_tables.empty() || scope.only_tables.count({r.schema, r.name})) return true;
  for (const auto& ancestor : r.ancestors)
    if (scope.only_tables.count(ancestor)) return true;
  return false;
}

}  // namespace

ScopeRelations select_scope_relations(pg::Connection& source, const CloneScope& scope) {
  ScopeRelations out;
  if (scope.functions_only) return out;
  const TableFilter filter(scope.include_tables, scope.exclude_tables);
  for (auto& r : catalog::list_relations(source, scope.schemas)) {
    if (is_table(r)) {
      if (filter.wanted(r) && in_only_tables(scope, r))
        out.tables.push_back(r);
      else
        out.left_out.insert(object_key(catalog::kPgClass, r.oid));
    } else if (r.relkind == 'm' && !scope.matviews) {
      out.left_out.insert(object_key(catalog::kPgClass, r.oid));
    }
  }
  return out;
}

ScopeRelations partition_tree(pg::Connection& source, const std::string& root_oid) {
  ScopeRelations out;
  out.tables = catalog::list_partition_tree(source, root_oid);
  return out;
}

std::vector<std::string> relations_to_lock(const ScopeRelations& relations) {
  // Tables only: LOCK TABLE refuses materialized views (PostgreSQL 15); pg_dump skips them too.
  std::vector<std::string> out;
  // Nor foreign tables (LOCK TABLE refuses them; their data lives elsewhere).
  for (const auto& r : relations.tables)
    if (r.relkind != 'f') out.push_back(ddl::qualified_name(r.schema, r.name));
  return out;
}

ClonePlan plan_clone(pg::Connection& source, const CloneScope& scope, ScopeRelations relations) {
  PlanBuilder plan;
  const bool whole_schemas = !scope.relations_only;
  if (whole_schemas) {
    add_schema_steps(plan, catalog::read_schemas(source, scope.schemas));
    add_routine_steps(plan, catalog::read_routines(source, scope.schemas));
  }
  const auto edges = route_io_functions_to_shell_types(catalog::read_dependencies(source));
  if (!scope.functions_only) {
    if (whole_schemas) {
      add_collation_steps(plan, catalog::read_collations(source, scope.schemas));
      add_type_steps(plan, catalog::read_types(source, scope.schemas));
      add_object_kind_steps(plan, source, scope.schemas, scope.database_wide);
      add_sequence_steps(plan, catalog::read_standalone_sequences(source, scope.schemas));
    }

    const auto row_security = catalog::read_row_security(source, scope.schemas);
    const auto policies = catalog::read_policies(source, scope.schemas);
    std::map<std::string, TableSecurity> security_by_oid;
    for (const auto& rls : row_security) security_by_oid[rls.relation_oid].row_security = &rls;
    for (const auto& p : policies) security_by_oid[p.relation_oid].policies.push_back(&p);
    std::vector<catalog::TableDefinition> tables = catalog::read_relation_definitions(source, relations.tables);
    std::map<std::string, std::string> relation_names;  // oid -> qualified
    for (size_t i = 0; i < tables.size(); ++i) {
      const auto& r = relations.tables[i];
      relation_names[r.oid] = ddl::qualified_name(r.schema, r.name);
      auto security = security_by_oid.find(r.oid);
      TableStepOptions options{scope.indexes, scope.constraints, scope.triggers, r.bytes};
      add_table_steps(plan, tables[i], options, security == security_by_oid.end() ? TableSecurity{} : security->second);
    }
    link_table_steps(plan, tables);
    add_foreign_data_steps(plan, catalog::read_foreign_objects(source), tables,
                           {scope.all_foreign_servers, scope.user_mapping_secrets});
    for (const auto& [sequence, owner] : catalog::read_sequence_owners(source))
      if (const std::string* step = plan.step_for_key(owner)) plan.map_key(sequence, *step);

    std::vector<catalog::ViewDefinition> views;
    for (auto& v : whole_schemas ? catalog::read_views(source, scope.schemas) : std::vector<catalog::ViewDefinition>{}) {
      if (v.relkind == 'v' || scope.matviews)
        views.push_back(std::move(v));
      else
        plan.notice("materialized view " + ddl::qualified_name(v.schema, v.name) + " left out (matviews: false)");
    }
    const auto placeholders = views_needing_placeholders(edges, views);
    add_view_steps(plan, views, placeholders, scope.indexes, scope.triggers);
    for (const auto& v : views) relation_names[v.oid] = ddl::qualified_name(v.schema, v.name);
    add_rule_steps(plan, catalog::read_rules(source, scope.schemas), relation_names);
    add_statistics_steps(plan, catalog::read_statistics(source, scope.schemas));
    add_dependencies(plan, edges, placeholders);
    link_matview_refreshes(plan);
    relations.left_out.insert(plan.omitted.begin(), plan.omitted.end());
    drop_dependents_of_left_out(plan, edges, relations.left_out);
  } else {
    add_dependencies(plan, edges, {});
  }
  // A partition tree brings only the extensions its objects use.
  add_extensions(plan, source, whole_schemas ? scope.schemas : std::vector<std::string>{}, edges);
  const Section late = scope.functions_only ? Section::kPreData : Section::kPostData;
  if (scope.source_owners) add_owner_steps(plan, catalog::read_owners(source, scope.schemas), late);
  add_privilege_steps(plan, catalog::read_privileges(source, scope.schemas), late, scope.source_owners);
  const std::vector<catalog::SecurityLabel> labels = catalog::read_security_labels(source);
  add_security_label_steps(plan, labels);
  if (!scope.functions_only && whole_schemas)
    add_default_privilege_steps(plan, catalog::read_default_privileges(source, scope.schemas, scope.database_objects));
  if (scope.database_objects) {
    add_publication_steps(plan, catalog::read_publications(source), scope.schemas);
    if (scope.event_triggers) add_event_trigger_steps(plan, catalog::read_event_triggers(source));
    if (scope.source_owners) add_large_object_owner_steps(plan, catalog::read_large_object_owners(source));
    add_large_object_privilege_steps(plan, catalog::read_large_object_privileges(source));
    add_large_object_security_label_steps(plan, labels);
  }

  ClonePlan out;
  out.steps = order_steps(std::move(plan.steps));
  move_late_dependents(out.steps, plan.notices);
  out.tables = std::move(plan.tables);
  out.notices = std::move(plan.notices);
  out.privileges = std::move(plan.privileges);
  out.owners = std::move(plan.owners);
  return out;
}

}  // namespace pgclone::agent::plan
