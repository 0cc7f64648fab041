#include "catalog/table_catalog.h"

#include <stdexcept>

#include "catalog/catalog_sql.h"
#include "catalog/foreign_catalog.h"
#include "catalog/table_batch.h"

namespace pgclone::agent::catalog {

namespace {

using pg::Connection;
using pg::PgError;
using pg::Result;

const char* relkind_name(char k) {
  switch (k) {
    case 'r': return "table";
    case 'p': return "partitioned table";
    case 'v': return "view";
    case 'm': return "materialized view";
    case 'f': return "foreign table";
    case 'S': return "sequence";
    case 'i': return "index";
    case 'I': return "partitioned index";
    case 'c': return "composite type";
    case 't': return "TOAST table";
    default: return "relation";
  }
}

std::string relations_sql() {
  return "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.relreplident, c.relispartition,"
         " EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) AS has_parent,"
         " EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid) AS has_children,"
         " CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,"
         " pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS partition_bound,"
         " ARRAY(SELECT " + qualified_relation_sql("i.inhparent") + " FROM pg_catalog.pg_inherits i"
         "   WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,"
         " ARRAY(SELECT pa.attname::pg_catalog.text FROM pg_catalog.pg_inherits i"
         "   JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent"
         "   WHERE i.inhrelid = c.oid AND pa.attnum > 0 AND NOT pa.attisdropped"
         "   ORDER BY i.inhseqno, pa.attnum) AS parent_columns,"
         " ARRAY(SELECT o.option_name || '=' || o.option_value"
         "   FROM pg_catalog.pg_options_to_table(c.reloptions) o) AS options,"
         " ARRAY(SELECT o.option_name || '=' || o.option_value FROM pg_catalog.pg_class tc,"
         "   pg_catalog.pg_options_to_table(tc.reloptions) o WHERE tc.oid = c.reltoastrelid) AS toast_options,"
         " c.reltablespace <> 0 AS has_tablespace,"
         " CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) ELSE '' END AS of_type, " +
         description_sql("c.oid", "pg_catalog.pg_class") +
         " AS comment"
         " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
         " WHERE c.oid = ANY ($1::pg_catalog.oid[])";
}

OptionList option_list(const Result& r, int row, const char* column) {
  OptionList out;
  for (const auto& item : array_column(r, row, column)) {
    auto eq = item.find('=');
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

// The pg_class facts of each table. With `hierarchy` (schema and database
// clones) partitioned tables are accepted and the hierarchy fields filled;
// without (table()), a partition or child is reported as cloned standalone.
void read_relations(Connection& conn, TableBatch& batch, bool hierarchy) {
  Result rel = conn.query(relations_sql(), {batch.oid_array()});
  if (static_cast<size_t>(rel.rows()) != batch.size())
    batch.for_each([&rel, &conn](TableDefinition& def) {
      for (int i = 0; i < rel.rows(); ++i)
        if (rel.get(i, "oid") == def.oid) return;
      throw PgError("42P01", conn.label() + " table \"" + def.schema + "." + def.name + "\" does not exist");
    });
  for (int i = 0; i < rel.rows(); ++i) {
    TableDefinition& def = batch.table(rel.get(i, "oid"));
    const std::string qualified = def.schema + "." + def.name;
    def.relkind = rel.get(i, "relkind")[0];
    def.unlogged = rel.get(i, "relpersistence") == "u";
    def.replica_identity = rel.get(i, "relreplident")[0];
    def.comment = rel.get_optional(i, "comment");
    def.reloptions = option_list(rel, i, "options");
    def.toast_reloptions = option_list(rel, i, "toast_options");
    def.of_type = rel.get(i, "of_type");
    if (hierarchy) {
      def.partition_key = rel.get(i, "partition_key");
      def.has_children = rel.get_bool(i, "has_children");
      std::vector<std::string> parents = array_column(rel, i, "parents");
      if (rel.get_bool(i, "relispartition") && !parents.empty()) {
        def.partition_parent = parents.front();
        def.partition_bound = rel.get(i, "partition_bound");
      } else {
        def.inherits = parents;
        def.parent_columns = array_column(rel, i, "parent_columns");
      }
    } else if (rel.get_bool(i, "relispartition") || rel.get_bool(i, "has_parent")) {
      def.notes.push_back("table \"" + qualified + "\" is a partition or inheritance child; it is cloned as a standalone table, not attached to a parent");
    }
    if (rel.get_bool(i, "has_tablespace"))
      def.notes.push_back("table \"" + qualified + "\" lives in a non-default tablespace; the clone uses the target's default");
  }
}

void read_definitions(Connection& conn, std::vector<TableDefinition>& tables, bool hierarchy) {
  if (tables.empty()) return;
  TableBatch batch(tables);
  read_relations(conn, batch, hierarchy);
  read_columns(conn, batch);
  read_constraints(conn, batch);
  read_indexes(conn, batch);
  read_triggers(conn, batch);
  read_foreign_table_facts(conn, batch);
}

}  // namespace

TableBatch::TableBatch(std::vector<TableDefinition>& tables) {
  std::vector<std::string> oids;
  for (auto& t : tables) {
    by_oid_[t.oid] = &t;
    oids.push_back(t.oid);
  }
  oid_array_ = oid_array_literal(oids);
}

TableDefinition& TableBatch::table(const std::string& oid) {
  auto it = by_oid_.find(oid);
  if (it == by_oid_.end()) throw std::logic_error("catalog row for relation " + oid + " outside the batch");
  return *it->second;
}

TableDefinition read_table_definition(Connection& conn, const std::string& schema, const std::string& table) {
  Result found = conn.query(
      "SELECT c.oid, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = $1 AND c.relname = $2",
      {schema, table});
  if (found.rows() == 0)
    throw PgError("42P01", conn.label() + " table \"" + schema + "." + table + "\" does not exist");
  const char relkind = found.get(0, "relkind")[0];
  if (relkind != 'r')
    throw PgError("0A000", std::string("cloning ") + relkind_name(relkind) + " \"" + schema + "." + table +
                               "\" is not supported by table()");
  std::vector<TableDefinition> one(1);
  one[0].schema = schema;
  one[0].name = table;
  one[0].oid = found.get(0, "oid");
  read_definitions(conn, one, false);
  return std::move(one[0]);
}

std::vector<TableDefinition> read_relation_definitions(Connection& conn, const std::vector<RelationEntry>& relations) {
  std::vector<TableDefinition> out(relations.size());
  for (size_t i = 0; i < relations.size(); ++i) {
    out[i].schema = relations[i].schema;
    out[i].name = relations[i].name;
    out[i].oid = relations[i].oid;
  }
  read_definitions(conn, out, true);
  return out;
}

bool table_exists(Connection& conn, const std::string& schema, const std::string& table) {
  Result r = conn.query(
      "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')",
      {schema, table});
  return r.rows() > 0;
}

std::set<std::string> relation_names_in_schema(Connection& conn, const std::string& schema) {
  Result r = conn.query(
      "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = $1",
      {schema});
  std::set<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.insert(r.get(i, 0));
  return out;
}

}  // namespace pgclone::agent::catalog
