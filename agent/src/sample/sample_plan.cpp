#include "sample/sample_plan.h"

#include <map>

#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/messages.h"
#include "pgclone/protocol/sqlstate.h"
#include "plan/schema_planner.h"
#include "sample/table_closure.h"

namespace pgclone::agent::sample {
namespace {

namespace sqlstate = protocol::sqlstate;

std::string find_table(const catalog::ForeignKeyGraph& graph, pg::Connection& source, const std::string& schema,
                       const std::string& table) {
  for (const auto& [oid, r] : graph.relations)
    if (r.schema == schema && r.name == table) return oid;
  const std::string shown = ddl::qualified_name(schema, table);
  pg::Result other = source.query(
      "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND c.relname = $2",
      {schema, table});
  if (other.rows() > 0) {
    throw pg::PgError(sqlstate::kWrongObjectType, "source relation " + shown + " is not a table",
                      "Only tables and partitioned tables can be sampled.");
  }
  throw pg::PgError(sqlstate::kUndefinedTable, "source table " + shown + " does not exist");
}

// The starting tables of schema_sample(): the schema's tables the "tables"
// and "exclude_tables" options select (a partition through its tree).
std::set<std::string> schema_tables(const catalog::ForeignKeyGraph& graph, pg::Connection& source,
                                    const jobs::Job& job) {
  const std::string& schema = job.request().schema;
  if (source.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows() == 0) {
    throw pg::PgError(sqlstate::kInvalidSchemaName, "source schema " + ddl::quote_ident(schema) + " does not exist");
  }
  plan::CloneScope scope;
  scope.schemas = {schema};
  scope.include_tables = job.options().tables;
  scope.exclude_tables = job.options().exclude_tables;
  std::map<std::pair<std::string, std::string>, std::string> by_name;
  for (const auto& [oid, r] : graph.relations) by_name[{r.schema, r.name}] = oid;
  std::set<std::string> selected;
  for (const catalog::RelationEntry& entry : plan::select_scope_relations(source, scope).tables) {
    const auto it = by_name.find({entry.schema, entry.name});
    if (it != by_name.end()) selected.insert(it->second);  // foreign tables hold no rows to sample
  }
  std::set<std::string> starts;
  for (const std::string& oid : selected) {
    // A partition starts with its tree when the tree is selected.
    const std::string& root = graph.relation(oid).root_oid;
    starts.insert(selected.count(root) ? root : oid);
  }
  return starts;
}

// Every table an option names per table must start the sample: a typo must
// not silently leave a table unsampled.
void check_named_tables(const catalog::ForeignKeyGraph& graph, const std::set<std::string>& starts,
                        const protocol::SampleOptions& options) {
  for (const auto& [key, start] : options.by_table) {
    bool found = false;
    for (const std::string& oid : starts) {
      const catalog::SampledRelation& r = graph.relation(oid);
      found = found || key == r.name || key == r.schema + "." + r.name;
    }
    if (!found) {
      throw pg::PgError(sqlstate::kInvalidParameterValue,
                        "sample options name table \"" + key + "\", which is not sampled",
                        "Per-table \"rows\", \"percent\" and \"where\" apply to the tables the sample starts from.",
                        "Name a table as \"table\" or \"schema.table\".");
    }
  }
}

}  // namespace

SamplePlan plan_sample(pg::Connection& source, const jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  const protocol::SampleOptions& options = job.options().sample;
  SamplePlan out;
  out.graph = catalog::read_foreign_key_graph(source);
  std::set<std::string> starts;
  if (request.operation == protocol::kOpTableSample) {
    starts.insert(find_table(out.graph, source, request.schema, request.table));
  } else {
    starts = schema_tables(out.graph, source, job);
  }
  check_named_tables(out.graph, starts, options);
  out.starting_tables = starts.size();
  for (const std::string& oid : starts) {
    const catalog::SampledRelation& r = out.graph.relation(oid);
    out.request.starts[oid] = options.start_for(r.schema, r.name);
  }
  out.request.seed = options.seed;
  out.request.method = options.method;
  out.request.children_limit = options.children_limit;

  std::set<std::string> other_schemas;
  for (const std::string& root : tree_roots(out.graph, reached_tables(out.graph, starts, options.children_limit > 0))) {
    const catalog::SampledRelation& r = out.graph.relation(root);
    out.tables.insert({r.schema, r.name});
    if (r.schema != request.schema) other_schemas.insert(r.schema);
  }
  out.schemas.push_back(request.schema);
  out.schemas.insert(out.schemas.end(), other_schemas.begin(), other_schemas.end());
  return out;
}

void restrict_to_sample(plan::ClonePlan& plan, const catalog::ForeignKeyGraph& graph, const SampledRows& rows) {
  std::map<std::pair<std::string, std::string>, std::string> by_name;
  for (const auto& [oid, r] : graph.relations) by_name[{r.schema, r.name}] = oid;
  static const std::set<std::string> kNone;
  for (plan::TableTask& task : plan.tables) {
    if (task.partitioned_parent) continue;
    const auto it = by_name.find({task.source_schema, task.source_name});
    if (it == by_name.end()) continue;  // a foreign table: its rows live elsewhere
    const auto sampled = rows.find(it->second);
    task.row_filter = ctid_filter(sampled == rows.end() ? kNone : sampled->second);
    task.source_copy_select += " WHERE " + task.row_filter;
  }
}

}  // namespace pgclone::agent::sample
