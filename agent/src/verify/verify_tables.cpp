#include "verify/verify_tables.h"

#include "catalog/catalog_sql.h"
#include "catalog/schema_catalog.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::verify {
namespace {

// Whether a column's values are hashed by value: its base type b (or, for
// an array, b's element type) is one whose equal values are the same value
// — equal hashes then mean equal text on both servers — and its collation
// is deterministic. Not so, and hashed by their text instead: numeric (1.5 =
// 1.50), float (0 = -0), interval ('1 day' = '24 hours'), timetz, jsonb (1.0
// = 1), citext (any case), money, json, geometric and range types,
// composites, enums (their hashes are of OIDs that differ between servers)
// and every other type; bpchar only with a length (then always padded).
#define IDENTITY_TYPES                                                                                        \
  "ARRAY['pg_catalog.bool', 'pg_catalog.char', 'pg_catalog.name', 'pg_catalog.int2', 'pg_catalog.int4',"       \
  " 'pg_catalog.int8', 'pg_catalog.oid', 'pg_catalog.text', 'pg_catalog.varchar', 'pg_catalog.bytea',"         \
  " 'pg_catalog.date', 'pg_catalog.time', 'pg_catalog.timestamp', 'pg_catalog.timestamptz', 'pg_catalog.uuid'," \
  " 'pg_catalog.inet', 'pg_catalog.cidr', 'pg_catalog.macaddr', 'pg_catalog.macaddr8',"                        \
  " 'pg_catalog.pg_lsn']::pg_catalog.regtype[]::pg_catalog.oid[]"
#define HASHABLE_SQL                                                                                 \
  "(a.attcollation = 0 OR (SELECT co.collisdeterministic FROM pg_catalog.pg_collation co"            \
  "                        WHERE co.oid = a.attcollation))"                                          \
  " AND (b.oid = ANY (" IDENTITY_TYPES ")"                                                            \
  "      OR (b.typcategory = 'A' AND b.typelem = ANY (" IDENTITY_TYPES "))"                          \
  "      OR (b.oid = 'pg_catalog.bpchar'::pg_catalog.regtype AND a.atttypmod <> -1))"

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
