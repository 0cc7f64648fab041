#include "catalog/foreign_key_graph.h"

#include <algorithm>
#include <stdexcept>

namespace pgclone::agent::catalog {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find(separator, start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// Column lists come joined with U+001F, which quote_ident never produces.
constexpr char kColumnSeparator = '\x1f';

}  // namespace

const SampledRelation& ForeignKeyGraph::relation(const std::string& oid) const {
  const auto it = relations.find(oid);
  if (it == relations.end()) throw std::logic_error("table " + oid + " is not in the foreign key graph");
  return it->second;
}

bool ForeignKeyGraph::holds_rows_of(const std::string& leaf, const std::string& table) const {
  const auto& ancestors = relation(leaf).ancestors;
  return std::find(ancestors.begin(), ancestors.end(), table) != ancestors.end();
}

ForeignKeyGraph read_foreign_key_graph(pg::Connection& source) {
  ForeignKeyGraph graph;
  pg::Result tables = source.query(
      "SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples::pg_catalog.float8,"
      "       COALESCE(pg_catalog.pg_partition_root(c.oid)::pg_catalog.oid, c.oid) AS root,"
      "       COALESCE((SELECT pg_catalog.string_agg(a.relid::pg_catalog.oid::pg_catalog.text, ',')"
      "                 FROM pg_catalog.pg_partition_ancestors(c.oid) a), c.oid::pg_catalog.text) AS ancestors "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' "
      "ORDER BY c.oid");
  for (int i = 0; i < tables.rows(); ++i) {
    SampledRelation r;
    r.oid = tables.get(i, 0);
    r.schema = tables.get(i, 1);
    r.name = tables.get(i, 2);
    r.relkind = tables.get(i, 3).empty() ? 'r' : tables.get(i, 3)[0];
    r.reltuples = std::stod(tables.get(i, 4));
    r.root_oid = tables.get(i, 5);
    r.ancestors = split(tables.get(i, 6), ',');
    graph.relations.emplace(r.oid, std::move(r));
  }
  // Each side's key columns and their types, joined with kColumnSeparator.
  const auto key_columns = [](const char* keys, const char* table, const char* what) {
    return std::string("(SELECT pg_catalog.string_agg(") + what + ", E'\\x1f' ORDER BY k.ord)"
           " FROM pg_catalog.unnest(con." + keys + ") WITH ORDINALITY k(attnum, ord)"
           " JOIN pg_catalog.pg_attribute a ON a.attrelid = con." + table + " AND a.attnum = k.attnum)";
  };
  constexpr const char* kName = "pg_catalog.quote_ident(a.attname)";
  constexpr const char* kType = "pg_catalog.format_type(a.atttypid, a.atttypmod)";
  pg::Result keys = source.query(
      "SELECT con.conrelid, con.confrelid, " + key_columns("conkey", "conrelid", kName) + ", " +
      key_columns("confkey", "confrelid", kName) + ", " + key_columns("conkey", "conrelid", kType) + ", " +
      key_columns("confkey", "confrelid", kType) +
      " FROM pg_catalog.pg_constraint con "
      "WHERE con.contype = 'f' AND con.conparentid = 0 "
      "ORDER BY con.oid");
  for (int i = 0; i < keys.rows(); ++i) {
    ForeignKeyEdge edge;
    edge.child_oid = keys.get(i, 0);
    edge.parent_oid = keys.get(i, 1);
    if (!graph.relations.count(edge.child_oid) || !graph.relations.count(edge.parent_oid)) continue;
    edge.child_columns = split(keys.get(i, 2), kColumnSeparator);
    edge.parent_columns = split(keys.get(i, 3), kColumnSeparator);
    edge.child_types = split(keys.get(i, 4), kColumnSeparator);
    edge.parent_types = split(keys.get(i, 5), kColumnSeparator);
    graph.edges.push_back(std::move(edge));
  }
  return graph;
}

}  // namespace pgclone::agent::catalog
