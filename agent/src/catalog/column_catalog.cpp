// Columns, their options and the sequences they own, for a batch of tables.
#include <map>

#include "catalog/catalog_sql.h"
#include "catalog/sequence_catalog.h"
#include "catalog/table_batch.h"

namespace pgclone::agent::catalog {

namespace {

using pg::Connection;
using pg::Result;

// Binary COPY safety: strip domains; an array is safe when its element type
// is built in (array_send writes the element OID, and array_recv checks it);
// anything else is safe when built in (OID < 16384) or an enum (sent as its
// label). User composites, ranges and extension types fall back to text, and so
// do the OID alias types (regclass, regtype, regproc, ... — the built-in types
// named reg*) and their arrays: binary sends the source's OID, which names
// nothing or something else on the target; text sends the name.
std::string columns_sql() {
  return "WITH RECURSIVE base(attrelid, attnum, oid, typtype, typbasetype) AS ("
         "  SELECT a.attrelid, a.attnum, t.oid, t.typtype, t.typbasetype FROM pg_catalog.pg_attribute a"
         "  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
         "  WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
         "  UNION ALL"
         "  SELECT b.attrelid, b.attnum, t.oid, t.typtype, t.typbasetype FROM base b"
         "  JOIN pg_catalog.pg_type t ON t.oid = b.typbasetype WHERE b.typtype = 'd')"
         " SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
         "  a.attnotnull, a.attgenerated, a.attidentity, a.attstorage, t.typstorage, a.attcompression,"
         "  a.attstattarget, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,"
         "  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation"
         "    THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS collation,"
         "  CASE WHEN bt.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc"
         "    THEN bt.typelem < 16384 AND NOT EXISTS (SELECT FROM pg_catalog.pg_type et"
         "                                            WHERE et.oid = bt.typelem AND et.typname LIKE 'reg%')"
         "    ELSE (bt.oid < 16384 AND bt.typname NOT LIKE 'reg%') OR bt.typtype = 'e' END AS binary_safe,"
         "  CASE WHEN a.attgenerated = 's' THEN " +
         ordered_attnames_sql("a.attrelid",
                              "ARRAY(SELECT dep.refobjsubid FROM pg_catalog.pg_depend dep"
                              " WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                              " AND dep.objid = a.attrelid AND dep.objsubid = a.attnum"
                              " AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                              " AND dep.refobjid = a.attrelid AND dep.refobjsubid > 0"
                              " ORDER BY dep.refobjsubid)") +
         " END AS generated_deps, a.attislocal, a.attinhcount, bt.typcategory AS base_category, bt.typname AS base_type,"
         "  CASE WHEN bt.typname IN ('varchar', 'bpchar') THEN GREATEST(COALESCE("
         "    NULLIF(a.atttypmod, -1), NULLIF(t.typtypmod, -1), -1) - 4, -1) ELSE -1 END AS char_limit,"
         "  CASE WHEN a.attinhcount > 0 THEN (SELECT pg_catalog.pg_get_expr(pd.adbin, pd.adrelid)"
         "    FROM pg_catalog.pg_inherits i"
         "    JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname"
         "    JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum"
         "    WHERE i.inhrelid = a.attrelid ORDER BY i.inhseqno LIMIT 1) END AS inherited_default,"
         "  a.attinhcount > 0 AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_attribute pa"
         "    ON pa.attrelid = i.inhparent AND pa.attname = a.attname"
         "    WHERE i.inhrelid = a.attrelid AND pa.attnotnull) AS inherited_not_null,"
         "  a.attinhcount > 0 AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_attribute pa"
         "    ON pa.attrelid = i.inhparent AND pa.attname = a.attname"
         "    WHERE i.inhrelid = a.attrelid AND pa.attgenerated = 's') AS inherited_generated, " +
         description_sql("a.attrelid", "pg_catalog.pg_class", "a.attnum") +
         " AS comment"
         " FROM pg_catalog.pg_attribute a"
         " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
         " JOIN base b0 ON b0.attrelid = a.attrelid AND b0.attnum = a.attnum AND b0.typtype <> 'd'"
         " JOIN pg_catalog.pg_type bt ON bt.oid = b0.oid"
         " LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
         " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
         " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
         " WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
         " ORDER BY a.attrelid, a.attnum";
}

// deptype 'i' = identity sequence, 'a' = OWNED BY (serial and friends).
std::string owned_sequences_sql() {
  return "SELECT d.refobjid AS relid, d.deptype, d.refobjsubid AS attnum, sn.nspname AS seq_schema,"
         " s.relname AS seq_name, pg_catalog.format_type(ps.seqtypid, NULL) AS seq_type, ps.seqstart,"
         " ps.seqincrement, ps.seqmin, ps.seqmax, ps.seqcache, ps.seqcycle, s.relpersistence,"
         " a.attname AS owner_column, " +
         description_sql("s.oid", "pg_catalog.pg_class") +
         " AS comment"
         " FROM pg_catalog.pg_depend d"
         " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
         " JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace"
         " JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = s.oid"
         " JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
         " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
         " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
         " AND d.refobjid = ANY ($1::pg_catalog.oid[]) AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')"
         " ORDER BY d.refobjid, s.relname";
}

ColumnDefinition column_from_row(const Result& cols, int i) {
  ColumnDefinition c;
  c.attnum = static_cast<int>(cols.get_int(i, "attnum"));
  c.name = cols.get(i, "attname");
  c.type = cols.get(i, "type");
  c.not_null = cols.get_bool(i, "attnotnull");
  auto expr = cols.get_optional(i, "default_expr");
  if (cols.get(i, "attgenerated") == "s") {
    c.generated_expr = expr;
    c.generated_depends_on = array_column(cols, i, "generated_deps");
  } else {
    c.default_expr = expr;
  }
  std::string ident = cols.get(i, "attidentity");
  c.identity = ident.empty() ? '\0' : ident[0];
  c.collation = cols.get_optional(i, "collation");
  std::string storage = cols.get(i, "attstorage");
  if (storage != cols.get(i, "typstorage")) c.storage = storage[0];
  std::string compression = cols.get(i, "attcompression");
  if (!compression.empty()) c.compression = compression[0];
  long long stat = cols.get_int(i, "attstattarget");
  if (stat >= 0) c.statistics_target = static_cast<int>(stat);
  c.comment = cols.get_optional(i, "comment");
  c.binary_copy_safe = cols.get_bool(i, "binary_safe");
  c.is_local = cols.get_bool(i, "attislocal");
  c.inherit_count = static_cast<int>(cols.get_int(i, "attinhcount"));
  c.inherited_default = cols.get_optional(i, "inherited_default");
  c.inherited_not_null = cols.get_bool(i, "inherited_not_null");
  c.inherited_generated = cols.get_bool(i, "inherited_generated");
  const std::string category = cols.get(i, "base_category");
  c.base_category = category.empty() ? 'U' : category[0];
  c.base_type = cols.get(i, "base_type");
  c.char_limit = static_cast<int>(cols.get_int(i, "char_limit"));
  return c;
}

ColumnDefinition* find_column(TableDefinition& table, long long attnum) {
  for (auto& c : table.columns)
    if (c.attnum == attnum) return &c;
  return nullptr;
}

}  // namespace

void read_columns(Connection& conn, TableBatch& batch) {
  Result cols = conn.query(columns_sql(), {batch.oid_array()});
  for (int i = 0; i < cols.rows(); ++i)
    batch.table(cols.get(i, "attrelid")).columns.push_back(column_from_row(cols, i));

  Result options = conn.query(column_options_sql(), {batch.oid_array()});
  for (int i = 0; i < options.rows(); ++i)
    if (auto* column = find_column(batch.table(options.get(i, "attrelid")), options.get_int(i, "attnum")))
      column->options.emplace_back(options.get(i, "option_name"), options.get(i, "option_value"));

  Result seqs = conn.query(owned_sequences_sql(), {batch.oid_array()});
  for (int i = 0; i < seqs.rows(); ++i) {
    TableDefinition& table = batch.table(seqs.get(i, "relid"));
    SequenceDefinition s = sequence_from_row(seqs, i);
    s.owner_column = seqs.get(i, "owner_column");
    ColumnDefinition* column = find_column(table, seqs.get_int(i, "attnum"));
    if (seqs.get(i, "deptype") == "i" && column)
      column->identity_sequence = std::move(s);
    else
      table.owned_sequences.push_back(std::move(s));
  }
  // Positions are read once every definition is in place (the vectors no
  // longer move), in as few round trips as possible.
  std::vector<SequenceDefinition*> sequences;
  batch.for_each([&sequences](TableDefinition& table) {
    for (auto& c : table.columns)
      if (c.identity_sequence) sequences.push_back(&*c.identity_sequence);
    for (auto& s : table.owned_sequences) sequences.push_back(&s);
  });
  read_sequence_positions(conn, sequences);
}

}  // namespace pgclone::agent::catalog
