#include "plan/object_steps.h"

#include "catalog/dependency_reader.h"
#include "ddl/routine_ddl.h"
#include "ddl/sequence_ddl.h"
#include "ddl/sql_text.h"
#include "ddl/type_ddl.h"
#include "ddl/view_ddl.h"
#include "ddl/extra_objects_ddl.h"
#include "ddl/policy_ddl.h"

namespace pgclone::agent::plan {

namespace {

using catalog::object_key;

std::string raw(const std::string& schema, const std::string& name) { return schema + "." + name; }

}  // namespace

void add_schema_steps(PlanBuilder& plan, const std::vector<catalog::SchemaDefinition>& schemas) {
  for (const auto& s : schemas) {
    // The executor decides whether CREATE SCHEMA runs (conflict handling);
    // the comment travels with it.
    std::vector<std::string> statements{"CREATE SCHEMA " + ddl::quote_ident(s.name)};
    if (s.comment)
      statements.push_back("COMMENT ON SCHEMA " + ddl::quote_ident(s.name) + " IS " + ddl::quote_literal(*s.comment));
    plan.add({"schema:" + s.name, "schema", "schema " + ddl::quote_ident(s.name), Section::kPreData, "", statements, {}});
    plan.map_key(object_key(catalog::kPgNamespace, s.oid), "schema:" + s.name);
  }
}

void add_type_steps(PlanBuilder& plan, const std::vector<catalog::TypeDefinition>& types) {
  for (const auto& t : types) {
    const std::string id = "type:" + raw(t.schema, t.name);
    plan.add({id, "type", (t.kind == 'd' ? "domain " : "type ") + ddl::qualified_name(t.schema, t.name),
              Section::kPreData, "", ddl::type_statements(t), {"schema:" + t.schema}});
    plan.map_key(object_key(catalog::kPgType, t.oid), id);
    // A domain's CHECK may call a function: that dependency is recorded on
    // the constraint, and the constraint is created with the domain.
    for (const auto& c : t.constraints) plan.map_key(object_key(catalog::kPgConstraint, c.oid), id);
  }
}

void add_routine_steps(PlanBuilder& plan, const std::vector<catalog::RoutineDefinition>& routines) {
  for (const auto& f : routines) {
    const bool aggregate = f.kind == 'a';
    const std::string id = std::string(aggregate ? "aggregate:" : "function:") + raw(f.schema, f.name) + "(" +
                           f.identity_arguments + ")";
    const char* what = aggregate ? "aggregate " : f.kind == 'p' ? "procedure " : "function ";
    plan.add({id, aggregate ? "aggregate" : "function", what + ddl::routine_signature(f), Section::kPreData, "",
              ddl::routine_statements(f), {"schema:" + f.schema}});
    plan.map_key(object_key(catalog::kPgProc, f.oid), id);
  }
}

void add_collation_steps(PlanBuilder& plan, const std::vector<catalog::CollationDefinition>& collations) {
  for (const auto& c : collations) {
    const std::string id = "collation:" + raw(c.schema, c.name);
    plan.add({id, "collation", "collation " + ddl::qualified_name(c.schema, c.name), Section::kPreData, "",
              ddl::collation_statements(c), {"schema:" + c.schema}});
    plan.map_key(object_key(catalog::kPgCollation, c.oid), id);
  }
}

void add_statistics_steps(PlanBuilder& plan, const std::vector<catalog::StatisticsDefinition>& statistics) {
  for (const auto& s : statistics) {
    const std::string* table = plan.step_for_key(object_key(catalog::kPgClass, s.relation_oid));
    if (!table) continue;  // its table is not cloned
    const std::string id = "statistics:" + raw(s.schema, s.name);
    plan.add({id, "statistics", "statistics " + ddl::qualified_name(s.schema, s.name), Section::kPostData, "",
              ddl::statistics_statements(s), {*table, "schema:" + s.schema}});
    plan.map_key(object_key(catalog::kPgStatisticExt, s.oid), id);
  }
}

void add_sequence_steps(PlanBuilder& plan, const std::vector<catalog::StandaloneSequence>& sequences) {
  for (const auto& seq : sequences) {
    const auto& s = seq.definition;
    const std::string id = "sequence:" + raw(s.schema, s.name);
    const std::string shown = "sequence " + ddl::qualified_name(s.schema, s.name);
    plan.add({id, "sequence", shown, Section::kPreData, "", ddl::sequence_statements(s), {"schema:" + s.schema}});
    plan.map_key(object_key(catalog::kPgClass, seq.oid), id);
    plan.add({"sequence_value:" + raw(s.schema, s.name), "sequence_value", "position of " + shown, Section::kPostData,
              "", {ddl::sequence_value_statement(s)}, {id}});
  }
}

void add_view_steps(PlanBuilder& plan, const std::vector<catalog::ViewDefinition>& views,
                    const std::set<std::string>& placeholders, bool indexes, bool triggers) {
  for (const auto& v : views) {
    const bool matview = v.relkind == 'm';
    const std::string name = raw(v.schema, v.name);
    const std::string shown = (matview ? "materialized view " : "view ") + ddl::qualified_name(v.schema, v.name);
    const std::string id = (matview ? "matview:" : "view:") + name;
    const bool placeholder = !matview && placeholders.count(v.oid) > 0;
    Step& s = plan.add({id, matview ? "matview" : "view", shown, Section::kPreData, "",
                        ddl::view_statements(v, placeholder), {"schema:" + v.schema}});
    if (placeholder) {
      s.depends_on.push_back("view_placeholder:" + name);
      plan.add({"view_placeholder:" + name, "view_placeholder", "placeholder for " + shown, Section::kPreData, "",
                ddl::view_placeholder_statements(v), {"schema:" + v.schema}});
    }
    plan.map_key(object_key(catalog::kPgClass, v.oid), id);
    for (const auto& t : triggers ? v.triggers : std::vector<catalog::TriggerDefinition>{})
      plan.add({"trigger:" + name + "." + t.name, "trigger",
                "trigger " + ddl::quote_ident(t.name) + " on " + ddl::qualified_name(v.schema, v.name),
                Section::kPostData, "", ddl::view_trigger_statements(v, t), {id}});
    if (!matview) continue;
    std::vector<std::string> index_ids;
    if (indexes) {
      for (const auto& x : v.indexes) {
        const std::string index_id = "index:" + raw(v.schema, x.name);
        plan.add({index_id, "index", "index " + ddl::qualified_name(v.schema, x.name), Section::kPostData, "",
                  ddl::matview_index_statements(v, x), {id}});
        plan.map_key(object_key(catalog::kPgClass, x.oid), index_id);
        index_ids.push_back(index_id);
      }
    }
    if (v.populated) {
      index_ids.push_back(id);
      plan.add({"matview_refresh:" + name, "matview_refresh", "data of " + shown, Section::kPostData, "",
                {ddl::matview_refresh_statement(v)}, index_ids});
    }
  }
}

void add_rule_steps(PlanBuilder& plan, const std::vector<catalog::RuleDefinition>& rules,
                    const std::map<std::string, std::string>& relation_names) {
  for (const auto& r : rules) {
    auto rel = relation_names.find(r.relation_oid);
    if (rel == relation_names.end()) continue;
    const std::string* relation_step = plan.step_for_key(object_key(catalog::kPgClass, r.relation_oid));
    const std::string id = "rule:" + rel->second + "." + r.name;
    plan.add({id, "rule", "rule " + ddl::quote_ident(r.name) + " on " + rel->second, Section::kPostData, "",
              ddl::rule_statements(r, rel->second), {relation_step ? *relation_step : ""}});
    plan.map_key(object_key(catalog::kPgRewrite, r.oid), id);
  }
}

void link_matview_refreshes(PlanBuilder& plan) {
  // A materialized view may read another one through views (or functions
  // whose bodies pg_depend records): follow the creation dependencies until
  // a materialized view, whose refresh must come first.
  auto matviews_read_by = [&plan](const Step& created) {
    std::vector<std::string> found;
    std::set<std::string> seen;
    std::vector<std::string> todo(created.depends_on.begin(), created.depends_on.end());
    while (!todo.empty()) {
      const std::string id = todo.back();
      todo.pop_back();
      if (!seen.insert(id).second) continue;
      if (id.rfind("matview:", 0) == 0) {
        if (plan.has("matview_refresh:" + id.substr(8))) found.push_back("matview_refresh:" + id.substr(8));
        continue;
      }
      if (const Step* s = plan.find(id)) todo.insert(todo.end(), s->depends_on.begin(), s->depends_on.end());
    }
    return found;
  };
  for (auto& s : plan.steps) {
    if (s.kind != "matview_refresh") continue;
    const Step* created = plan.find("matview:" + s.id.substr(std::string("matview_refresh:").size()));
    if (!created) continue;
    std::vector<std::string> more = matviews_read_by(*created);
    s.depends_on.insert(s.depends_on.end(), more.begin(), more.end());
  }
}

}  // namespace pgclone::agent::plan
