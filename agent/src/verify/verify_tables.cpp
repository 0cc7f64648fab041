#include "verify/verify_tables.h"

#include "catalog/catalog_sql.h"
#include "catalog/schema_catalog.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::verify {
namespace {

// Whether a column's base type b has a default hash operator class (its own,
// an array's of such elements, or text's and inet's for the types that borrow
// them), its collation is deterministic and its hash depends on the value
// only: then hash_record_extended() hashes its values the same on both
// servers. Anything else makes the table fall back to hashing the row's text:
// money, json, point, composites, ranges, domains over domains; enums and
// aclitem, whose hashes are of OIDs that differ between servers.
#define HASH_OPCLASS_FOR(type_expr)                                                            \
  "EXISTS (SELECT 1 FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod" \
  " WHERE am.amname = 'hash' AND oc.opcdefault AND oc.opcintype = " type_expr ")"
#define HASHABLE_SQL                                                                                         \
  "(a.attcollation = 0 OR (SELECT co.collisdeterministic FROM pg_catalog.pg_collation co"                    \
  "                        WHERE co.oid = a.attcollation))"                                                  \
  " AND b.oid <> 'pg_catalog.aclitem'::pg_catalog.regtype AND b.typelem <> 'pg_catalog.aclitem'::pg_catalog.regtype" \
  " AND (" HASH_OPCLASS_FOR("b.oid")                                                                          \
  "      OR b.oid IN ('pg_catalog.varchar'::pg_catalog.regtype, 'pg_catalog.cidr'::pg_catalog.regtype)"      \
  "      OR (b.typcategory = 'A' AND b.typelem <> 0 AND " HASH_OPCLASS_FOR("b.typelem") "))"

// Columns by number; the key: unique, valid, no expression or predicate, every
// key column NOT NULL (so no two rows can share it); the primary key first.
constexpr const char* kColumnsAndKeySql =
    "SELECT c.oid::pg_catalog.text AS oid,"
    " ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a"
    "       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,"
    " ARRAY(SELECT " HASHABLE_SQL " FROM pg_catalog.pg_attribute a"
    "       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
    "       JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END"
    "       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS hashable,"
    " (SELECT ARRAY(SELECT a.attname FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, ord)"
    "               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
    "               WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)"
    "  FROM pg_catalog.pg_index i"
    "  WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL"
    "    AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY k(attnum, ord)"
    "                    JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
    "                    WHERE k.ord <= i.indnkeyatts AND NOT a.attnotnull)"
    "  ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1) AS key_columns"
    " FROM pg_catalog.pg_class c WHERE c.oid = ANY ($1::pg_catalog.oid[])";

}  // namespace

std::vector<std::string> existing_schemas(pg::Connection& connection, const std::vector<std::string>& schemas) {
  const pg::Result r = connection.query(
      "SELECT s.name FROM pg_catalog.unnest($1::pg_catalog.text[]) WITH ORDINALITY s(name, ord)"
      " WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = s.name) ORDER BY s.ord",
      {catalog::text_array_literal(schemas)});
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.get(i, 0));
  return out;
}

std::map<TableKey, VerifyTable> read_verify_tables(pg::Connection& connection, const std::vector<std::string>& schemas,
                                                   const plan::TableFilter& filter) {
  std::map<TableKey, VerifyTable> out;
  if (schemas.empty()) return out;
  std::map<std::string, VerifyTable*> by_oid;
  std::vector<std::string> oids;
  for (const catalog::RelationEntry& relation : catalog::list_relations(connection, schemas)) {
    if (relation.relkind != 'r' || !filter.wanted(relation)) continue;
    VerifyTable& table = out[{relation.schema, relation.name}];
    table.schema = relation.schema;
    table.name = relation.name;
    table.qualified = ddl::qualified_name(relation.schema, relation.name);
    table.bytes = relation.bytes;
    by_oid[relation.oid] = &table;
    oids.push_back(relation.oid);
  }
  if (oids.empty()) return out;
  const pg::Result r = connection.query(kColumnsAndKeySql, {"{" + ddl::join(oids, ",") + "}"});
  for (int i = 0; i < r.rows(); ++i) {
    VerifyTable* table = by_oid.at(r.get(i, "oid"));
    table->columns = catalog::array_column(r, i, "columns");
    for (const std::string& flag : catalog::array_column(r, i, "hashable")) table->hashable.push_back(flag == "t");
    table->key_columns = catalog::array_column(r, i, "key_columns");
  }
  return out;
}

}  // namespace pgclone::agent::verify
