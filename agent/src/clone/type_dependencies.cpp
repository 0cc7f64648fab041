#include "clone/type_dependencies.h"

#include <map>
#include <set>

#include "catalog/catalog_sql.h"
#include "ddl/sql_text.h"
#include "ddl/type_ddl.h"
#include "pgclone/protocol/sqlstate.h"
#include "clone/step_runner.h"

namespace pgclone::agent::clone {

TypeDependencies TypeDependencies::for_relations(pg::Connection& source, const std::vector<std::string>& relation_oids,
                                                 const std::vector<std::string>& columns) {
  TypeDependencies out;
  out.source_ = &source;
  out.used_ = catalog::read_types_used_by_relations(source, relation_oids, columns);
  return out;
}

TypeDependencies TypeDependencies::for_schemas(pg::Connection& source, const std::vector<std::string>& schemas) {
  TypeDependencies out;
  out.source_ = &source;
  out.used_ = catalog::read_types_used_by_schemas(source, schemas);
  return out;
}

void TypeDependencies::check_target(pg::Connection& target, bool create, const std::string& used_by) {
  missing_.clear();
  if (used_.empty()) return;
  std::vector<std::string> schemas, names;
  for (const auto& t : used_) {
    schemas.push_back(t.schema);
    names.push_back(t.name);
  }
  pg::Result present = target.query(
      "SELECT t.s, t.n FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) t(s, n)"
      " WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_type ty JOIN pg_catalog.pg_namespace ns ON ns.oid = ty.typnamespace"
      "   WHERE ns.nspname = t.s AND ty.typname = t.n)",
      {catalog::text_array_literal(schemas), catalog::text_array_literal(names)});
  std::set<std::pair<std::string, std::string>> on_target;
  for (int i = 0; i < present.rows(); ++i) on_target.emplace(present.get(i, 0), present.get(i, 1));
  std::vector<const catalog::UsedType*> missing;
  for (const auto& t : used_)
    if (!on_target.count({t.schema, t.name})) missing.push_back(&t);
  if (missing.empty()) return;
  if (!create) {
    // Name the ones used directly first: those are what the caller recognises.
    const catalog::UsedType* first = missing.front();
    for (const auto* t : missing)
      if (t->depth < first->depth) first = t;
    std::string all;
    for (const auto* t : missing) all += (all.empty() ? "" : ", ") + ddl::qualified_name(t->schema, t->name);
    throw pg::PgError(protocol::sqlstate::kUndefinedObject,
                      "type " + ddl::qualified_name(first->schema, first->name) + " does not exist on the target",
                      "The clone of " + used_by + " uses types the target lacks: " + all + ".",
                      "Create them on the target first, or use the option \"dependencies\": true to clone them "
                      "along.");
  }
  std::set<std::string> schemas_needed;
  for (const auto* t : missing) schemas_needed.insert(t->schema);
  std::map<std::string, catalog::TypeDefinition> by_oid;
  for (auto& d : catalog::read_types(*source_, {schemas_needed.begin(), schemas_needed.end()}))
    by_oid.emplace(d.oid, std::move(d));
  for (const auto* t : missing) {
    auto it = by_oid.find(t->oid);
    if (it != by_oid.end()) missing_.push_back(it->second);
  }
}

std::vector<plan::Step> TypeDependencies::steps() const {
  std::vector<plan::Step> out;
  for (const auto& t : missing_) {
    plan::Step step;
    step.id = "dependency_type:" + t.schema + "." + t.name;
    step.kind = "dependency_type";
    step.description = (t.kind == 'd' ? "domain " : "type ") + ddl::qualified_name(t.schema, t.name);
    step.section = plan::Section::kPreData;
    step.statements.push_back("CREATE SCHEMA IF NOT EXISTS " + ddl::quote_ident(t.schema));
    for (auto& s : ddl::type_statements(t)) step.statements.push_back(std::move(s));
    out.push_back(std::move(step));
  }
  return out;
}

int TypeDependencies::create_missing(pg::Connection& target, jobs::Job& job) const {
  int created = 0;
  for (const plan::Step& step : steps()) {
    run_step(target, step);
    job.add_notice("notice", "created " + step.description + " on the target (\"dependencies\": true)");
    ++created;
  }
  return created;
}

}  // namespace pgclone::agent::clone
