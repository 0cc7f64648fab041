// Indexes of a batch of tables that no constraint owns (those come with
// their PRIMARY KEY, UNIQUE or EXCLUDE constraint).
#include "catalog/catalog_sql.h"
#include "catalog/table_batch.h"

namespace pgclone::agent::catalog {

namespace {

std::string indexes_sql() {
  return "SELECT i.indrelid, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition, i.indisunique,"
         " i.indisvalid AND i.indisready AS valid, i.indisclustered, i.indisreplident,"
         " " + depended_columns_sql("pg_catalog.pg_class", "i.indexrelid", "i.indrelid", "i.indkey::pg_catalog.int2[]") +
         " AS columns,"
         " ARRAY(SELECT ia.attnum || '=' || ia.attstattarget FROM pg_catalog.pg_attribute ia"
         "   WHERE ia.attrelid = i.indexrelid AND ia.attstattarget >= 0 ORDER BY ia.attnum) AS statistics,"
         " " + description_sql("i.indexrelid", "pg_catalog.pg_class") + " AS comment, i.indexrelid AS oid,"
         " " + qualified_relation_sql("(SELECT ih.inhparent FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = i.indexrelid)") +
         " AS parent_index"
         " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
         " WHERE i.indrelid = ANY ($1::pg_catalog.oid[]) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co"
         "   WHERE co.conrelid = i.indrelid AND co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))"
         " ORDER BY i.indrelid, ic.relname";
}

}  // namespace

void read_indexes(pg::Connection& conn, TableBatch& batch) {
  pg::Result idx = conn.query(indexes_sql(), {batch.oid_array()});
  for (int i = 0; i < idx.rows(); ++i) {
    IndexDefinition x;
    x.name = idx.get(i, "relname");
    x.definition = idx.get(i, "definition");
    x.unique = idx.get_bool(i, "indisunique");
    x.valid = idx.get_bool(i, "valid");
    x.clustered = idx.get_bool(i, "indisclustered");
    x.replica_identity = idx.get_bool(i, "indisreplident");
    x.columns = array_column(idx, i, "columns");
    x.statistics = parse_index_statistics(array_column(idx, i, "statistics"));
    x.comment = idx.get_optional(i, "comment");
    x.oid = idx.get(i, "oid");
    x.parent_index = idx.get(i, "parent_index");
    batch.table(idx.get(i, "indrelid")).indexes.push_back(std::move(x));
  }
}

IndexStatistics parse_index_statistics(const std::vector<std::string>& items) {
  IndexStatistics out;
  for (const auto& item : items) {
    auto eq = item.find('=');
    out.emplace_back(std::stoi(item.substr(0, eq)), std::stoi(item.substr(eq + 1)));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
