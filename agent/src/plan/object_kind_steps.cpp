#include "plan/object_kind_steps.h"

#include <cctype>
#include <set>
#include <utility>

#include "catalog/base_type_catalog.h"
#include "catalog/conversion_catalog.h"
#include "catalog/operator_catalog.h"
#include "catalog/text_search_catalog.h"
#include "ddl/base_type_ddl.h"
#include "ddl/conversion_ddl.h"
#include "ddl/operator_ddl.h"
#include "ddl/sql_text.h"
#include "ddl/text_search_ddl.h"

namespace pgclone::agent::plan {

namespace {

using catalog::object_key;

std::string raw(const std::string& schema, const std::string& name) { return schema + "." + name; }

void add_base_types(PlanBuilder& plan, const std::vector<catalog::BaseTypeDefinition>& types) {
  for (const auto& t : types) {
    const std::string id = "type:" + raw(t.schema, t.name);
    const std::string shown = "type " + ddl::qualified_name(t.schema, t.name);
    std::vector<std::string> depends{"schema:" + t.schema};
    if (!t.shell) {
      const std::string shell_id = "type_shell:" + raw(t.schema, t.name);
      plan.add({shell_id, "type_shell", "shell of " + shown, Section::kPreData, "", {ddl::shell_type_statement(t)},
                {"schema:" + t.schema}});
      plan.map_key("shell:" + object_key(catalog::kPgType, t.oid), shell_id);
      depends.push_back(shell_id);
    }
    plan.add({id, "type", shown, Section::kPreData, "", ddl::base_type_statements(t), depends});
    plan.map_key(object_key(catalog::kPgType, t.oid), id);
  }
}

void add_operators(PlanBuilder& plan, pg::Connection& source, const std::vector<std::string>& schemas) {
  for (const auto& o : catalog::read_operators(source, schemas)) {
    const std::string signature = "(" + (o.left_type.empty() ? "NONE" : o.left_type) + ", " +
                                  (o.right_type.empty() ? "NONE" : o.right_type) + ")";
    const std::string id = "operator:" + raw(o.schema, o.name) + signature;
    plan.add({id, "operator", "operator " + ddl::quote_ident(o.schema) + "." + o.name + signature, Section::kPreData,
              "", ddl::operator_statements(o), {"schema:" + o.schema}});
    plan.map_key(object_key(catalog::kPgOperator, o.oid), id);
  }
  for (const auto& f : catalog::read_operator_families(source, schemas)) {
    const std::string name = raw(f.schema, f.name) + " USING " + f.access_method;
    const std::string shown = "operator family " + ddl::qualified_name(f.schema, f.name) + " USING " + f.access_method;
    plan.add({"opfamily:" + name, "opfamily", shown, Section::kPreData, "", ddl::operator_family_statements(f),
              {"schema:" + f.schema}});
    plan.map_key(object_key(catalog::kPgOpfamily, f.oid), "opfamily:" + name);
    if (f.loose_members.empty()) continue;
    plan.add({"opfamily_members:" + name, "opfamily_members", "members of " + shown, Section::kPreData, "",
              ddl::operator_family_member_statements(f), {"opfamily:" + name}});
    for (const auto& m : f.loose_members)
      plan.map_key(object_key(m.is_operator ? catalog::kPgAmop : catalog::kPgAmproc, m.oid), "opfamily_members:" + name);
  }
  for (const auto& c : catalog::read_operator_classes(source, schemas)) {
    const std::string id = "opclass:" + raw(c.schema, c.name) + " USING " + c.access_method;
    plan.add({id, "opclass", "operator class " + ddl::qualified_name(c.schema, c.name) + " USING " + c.access_method,
              Section::kPreData, "", ddl::operator_class_statements(c), {"schema:" + c.schema}});
    plan.map_key(object_key(catalog::kPgOpclass, c.oid), id);
    for (const auto& m : c.members)
      plan.map_key(object_key(m.is_operator ? catalog::kPgAmop : catalog::kPgAmproc, m.oid), id);
  }
}

void add_text_search(PlanBuilder& plan, pg::Connection& source, const std::vector<std::string>& schemas) {
  for (const auto& d : catalog::read_text_search(source, schemas)) {
    static const std::pair<char, unsigned> kCatalogs[] = {{'p', catalog::kPgTsParser}, {'t', catalog::kPgTsTemplate},
                                                          {'d', catalog::kPgTsDict}, {'c', catalog::kPgTsConfig}};
    std::string kind = ddl::text_search_kind(d);  // "TEXT SEARCH PARSER"
    std::string shown = kind;
    for (auto& ch : shown) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string id = "text_search:" + std::string(1, d.kind) + ":" + raw(d.schema, d.name);
    plan.add({id, "text_search", shown + " " + ddl::qualified_name(d.schema, d.name), Section::kPreData, "",
              ddl::text_search_statements(d), {"schema:" + d.schema}});
    for (const auto& [kind_char, catalog_oid] : kCatalogs)
      if (kind_char == d.kind) plan.map_key(object_key(catalog_oid, d.oid), id);
  }
}

void add_conversions(PlanBuilder& plan, pg::Connection& source, const std::vector<std::string>& schemas) {
  for (const auto& c : catalog::read_conversions(source, schemas)) {
    const std::string id = "conversion:" + raw(c.schema, c.name);
    plan.add({id, "conversion", "conversion " + ddl::qualified_name(c.schema, c.name), Section::kPreData, "",
              ddl::conversion_statements(c), {"schema:" + c.schema}});
    plan.map_key(object_key(catalog::kPgConversion, c.oid), id);
  }
}

void add_database_wide(PlanBuilder& plan, pg::Connection& source) {
  for (const auto& am : catalog::read_access_methods(source)) {
    const std::string id = "access_method:" + am.name;
    plan.add({id, "access_method", "access method " + ddl::quote_ident(am.name), Section::kPreData, "",
              ddl::access_method_statements(am), {}});
    plan.map_key(object_key(catalog::kPgAm, am.oid), id);
  }
  for (const auto& c : catalog::read_casts(source)) {
    const std::string id = "cast:" + ddl::cast_name(c);
    plan.add({id, "cast", "cast " + ddl::cast_name(c), Section::kPreData, "", ddl::cast_statements(c), {}});
    plan.map_key(object_key(catalog::kPgCast, c.oid), id);
  }
  for (const auto& t : catalog::read_transforms(source)) {
    const std::string id = "transform:" + ddl::transform_name(t);
    plan.add({id, "transform", "transform " + ddl::transform_name(t), Section::kPreData, "",
              ddl::transform_statements(t), {}});
    plan.map_key(object_key(catalog::kPgTransform, t.oid), id);
  }
}

}  // namespace

void add_object_kind_steps(PlanBuilder& plan, pg::Connection& source, const std::vector<std::string>& schemas,
                           bool database_wide) {
  add_base_types(plan, catalog::read_base_types(source, schemas));
  add_operators(plan, source, schemas);
  add_text_search(plan, source, schemas);
  add_conversions(plan, source, schemas);
  if (database_wide) add_database_wide(plan, source);
}

std::vector<catalog::DependencyEdge> route_io_functions_to_shell_types(std::vector<catalog::DependencyEdge> edges) {
  std::set<std::pair<std::string, std::string>> type_uses_function;
  for (const auto& e : edges)
    if (e.dependent.rfind("1247:", 0) == 0 && e.referenced.rfind("1255:", 0) == 0)
      type_uses_function.emplace(e.dependent, e.referenced);
  for (auto& e : edges)
    if (e.dependent.rfind("1255:", 0) == 0 && type_uses_function.count({e.referenced, e.dependent}))
      e.referenced = "shell:" + e.referenced;
  return edges;
}

}  // namespace pgclone::agent::plan
