#include "catalog/table_catalog.h"
#include "catalog/sequence_catalog.h"

#include "catalog/catalog_sql.h"

#include <algorithm>
#include <map>

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

std::optional<std::string> opt(const Result& r, int row, const char* col) { return r.get_optional(row, col); }

std::vector<std::string> names(const Result& r, int row, const char* col) {
  if (r.is_null(row, PQfnumber(r.raw(), col))) return {};
  return pg::parse_text_array(r.get(row, col));
}

OptionList read_options(Connection& conn, const char* sql, const std::string& oid) {
  OptionList out;
  Result r = conn.query(sql, {oid});
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.get(i, "option_name"), r.get(i, "option_value"));
  return out;
}

// Description lookup shared by every object kind; objsubid 0 unless a column.
const char* kDescription =
    "(SELECT d.description FROM pg_catalog.pg_description d"
    " WHERE d.objoid = %OID% AND d.classoid = '%CLASS%'::pg_catalog.regclass AND d.objsubid = %SUB%)";

std::string description(const std::string& oid_expr, const std::string& catalog, const std::string& sub = "0") {
  std::string s = kDescription;
  auto rep = [&s](const std::string& k, const std::string& v) { s.replace(s.find(k), k.size(), v); };
  rep("%OID%", oid_expr);
  rep("%CLASS%", catalog);
  rep("%SUB%", sub);
  return s;
}

// Columns of the table that an object records a dependency on (expression and
// predicate references live only in pg_depend).
std::string depended_columns(const std::string& catalog, const std::string& objid_expr,
                             const std::string& table_oid_expr, const std::string& extra_attnums_expr) {
  return "ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = " + table_oid_expr +
         " AND a.attnum > 0 AND NOT a.attisdropped AND (a.attnum = ANY (" + extra_attnums_expr +
         ") OR a.attnum IN (SELECT dep.refobjsubid FROM pg_catalog.pg_depend dep"
         " WHERE dep.classid = '" + catalog + "'::pg_catalog.regclass AND dep.objid = " + objid_expr +
         " AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjid = " + table_oid_expr +
         " AND dep.refobjsubid > 0)) ORDER BY a.attnum)";
}

std::string ordered_attnames(const std::string& table_oid_expr, const std::string& attnums_expr) {
  return "ARRAY(SELECT a.attname FROM pg_catalog.unnest(" + attnums_expr +
         ") WITH ORDINALITY k(attnum, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = " + table_oid_expr +
         " AND a.attnum = k.attnum ORDER BY k.ord)";
}

IndexStatistics index_statistics(const std::string& text) {
  IndexStatistics out;
  for (const auto& item : pg::parse_text_array(text)) {
    auto eq = item.find('=');
    out.emplace_back(std::stoi(item.substr(0, eq)), std::stoi(item.substr(eq + 1)));
  }
  return out;
}

}  // namespace

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

namespace {

TableDefinition read_definition(Connection& conn, const std::string& schema, const std::string& table,
                                bool hierarchy) {
  TableDefinition def;
  def.schema = schema;
  def.name = table;

  // ------------------------------------------------------------ the relation
  Result rel = conn.query(
      "SELECT c.oid, c.relkind, c.relpersistence, c.relreplident, c.reltoastrelid, c.relispartition,"
      " EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) AS has_parent,"
      " EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid) AS has_children,"
      " CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,"
      " pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS partition_bound,"
      " ARRAY(SELECT " + qualified_relation_sql("i.inhparent") + " FROM pg_catalog.pg_inherits i"
      "   WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,"
      " c.reltablespace <> 0 AS has_tablespace, " +
          description("c.oid", "pg_catalog.pg_class") +
          " AS comment"
          " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          " WHERE n.nspname = $1 AND c.relname = $2",
      {schema, table});
  if (rel.rows() == 0)
    throw PgError("42P01", conn.label() + " table \"" + schema + "." + table + "\" does not exist");
  char relkind = rel.get(0, "relkind")[0];
  if (relkind != 'r' && !(hierarchy && relkind == 'p'))
    throw PgError("0A000", std::string("cloning ") + relkind_name(relkind) + " \"" + schema + "." + table +
                               "\" is not supported by table()");
  const std::string oid = rel.get(0, "oid");
  def.oid = oid;
  def.relkind = relkind;
  def.unlogged = rel.get(0, "relpersistence") == "u";
  def.replica_identity = rel.get(0, "relreplident")[0];
  def.comment = opt(rel, 0, "comment");
  if (hierarchy) {
    def.partition_key = rel.get(0, "partition_key");
    def.has_children = rel.get_bool(0, "has_children");
    std::vector<std::string> parents = names(rel, 0, "parents");
    if (rel.get_bool(0, "relispartition") && !parents.empty()) {
      def.partition_parent = parents.front();
      def.partition_bound = rel.get(0, "partition_bound");
    } else {
      def.inherits = parents;
    }
  } else if (rel.get_bool(0, "relispartition") || rel.get_bool(0, "has_parent"))
    def.notes.push_back("table \"" + schema + "." + table +
                        "\" is a partition or inheritance child; it is cloned as a standalone table");
  if (rel.get_bool(0, "has_tablespace"))
    def.notes.push_back("table \"" + schema + "." + table +
                        "\" lives in a non-default tablespace; the clone uses the target's default");

  const char* options_sql =
      "SELECT o.option_name, o.option_value FROM pg_catalog.pg_class c,"
      " pg_catalog.pg_options_to_table(c.reloptions) o WHERE c.oid = $1";
  def.reloptions = read_options(conn, options_sql, oid);
  std::string toast = rel.get(0, "reltoastrelid");
  if (toast != "0") def.toast_reloptions = read_options(conn, options_sql, toast);

  // ------------------------------------------------------------ columns
  // Binary COPY safety: strip domains; an array is safe when its element type
  // is built in (array_send writes the element OID, and array_recv checks it);
  // anything else is safe when built in (OID < 16384) or an enum (sent as its
  // label). User composites, ranges and extension types fall back to text.
  Result cols = conn.query(
      "WITH RECURSIVE base(attnum, oid, typtype, typbasetype, depth) AS ("
      "  SELECT a.attnum, t.oid, t.typtype, t.typbasetype, 0 FROM pg_catalog.pg_attribute a"
      "  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
      "  WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped"
      "  UNION ALL"
      "  SELECT b.attnum, t.oid, t.typtype, t.typbasetype, b.depth + 1 FROM base b"
      "  JOIN pg_catalog.pg_type t ON t.oid = b.typbasetype WHERE b.typtype = 'd')"
      " SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
      "  a.attnotnull, a.attgenerated, a.attidentity, a.attstorage, t.typstorage, a.attcompression,"
      "  a.attstattarget, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,"
      "  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation"
      "    THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS collation,"
      "  CASE WHEN bt.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc"
      "    THEN bt.typelem < 16384"
      "    ELSE bt.oid < 16384 OR bt.typtype = 'e' END AS binary_safe,"
      "  " + ordered_attnames("a.attrelid",
                              "ARRAY(SELECT dep.refobjsubid FROM pg_catalog.pg_depend dep"
                              " WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                              " AND dep.objid = a.attrelid AND dep.objsubid = a.attnum"
                              " AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
                              " AND dep.refobjid = a.attrelid AND dep.refobjsubid > 0"
                              " ORDER BY dep.refobjsubid)") +
      " AS generated_deps, a.attislocal, a.attinhcount,"
      "  (SELECT pg_catalog.pg_get_expr(pd.adbin, pd.adrelid) FROM pg_catalog.pg_inherits i"
      "    JOIN pg_catalog.pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname"
      "    JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum"
      "    WHERE i.inhrelid = a.attrelid ORDER BY i.inhseqno LIMIT 1) AS inherited_default,"
      "  EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_attribute pa"
      "    ON pa.attrelid = i.inhparent AND pa.attname = a.attname"
      "    WHERE i.inhrelid = a.attrelid AND pa.attnotnull) AS inherited_not_null, " + description("a.attrelid", "pg_catalog.pg_class", "a.attnum") +
      " AS comment"
      " FROM pg_catalog.pg_attribute a"
      " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
      " JOIN base b0 ON b0.attnum = a.attnum AND b0.typtype <> 'd'"
      " JOIN pg_catalog.pg_type bt ON bt.oid = b0.oid"
      " LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
      " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
      " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
      " WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {oid});
  std::map<int, size_t> by_attnum;
  for (int i = 0; i < cols.rows(); ++i) {
    ColumnDefinition c;
    c.attnum = static_cast<int>(cols.get_int(i, "attnum"));
    c.name = cols.get(i, "attname");
    c.type = cols.get(i, "type");
    c.not_null = cols.get_bool(i, "attnotnull");
    auto expr = opt(cols, i, "default_expr");
    if (cols.get(i, "attgenerated") == "s") {
      c.generated_expr = expr;
      c.generated_depends_on = names(cols, i, "generated_deps");
    } else {
      c.default_expr = expr;
    }
    std::string ident = cols.get(i, "attidentity");
    c.identity = ident.empty() ? '\0' : ident[0];
    c.collation = opt(cols, i, "collation");
    std::string storage = cols.get(i, "attstorage");
    if (storage != cols.get(i, "typstorage")) c.storage = storage[0];
    std::string compression = cols.get(i, "attcompression");
    if (!compression.empty()) c.compression = compression[0];
    long long stat = cols.get_int(i, "attstattarget");
    if (stat >= 0) c.statistics_target = static_cast<int>(stat);
    c.comment = opt(cols, i, "comment");
    c.binary_copy_safe = cols.get_bool(i, "binary_safe");
    c.is_local = cols.get_bool(i, "attislocal");
    c.inherit_count = static_cast<int>(cols.get_int(i, "attinhcount"));
    c.inherited_default = opt(cols, i, "inherited_default");
    c.inherited_not_null = cols.get_bool(i, "inherited_not_null");
    by_attnum[c.attnum] = def.columns.size();
    def.columns.push_back(std::move(c));
  }
  // Some server builds keep their own bookkeeping in attoptions (pg_attver=...,
  // set by the server and skipped by that build's pg_dump). Stock options
  // (n_distinct, n_distinct_inherited) never start with "pg_".
  Result attopts = conn.query(
      "SELECT a.attnum, o.option_name, o.option_value FROM pg_catalog.pg_attribute a,"
      " pg_catalog.pg_options_to_table(a.attoptions) o"
      " WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped"
      " AND pg_catalog.left(o.option_name, 3) <> 'pg_' ORDER BY a.attnum",
      {oid});
  for (int i = 0; i < attopts.rows(); ++i) {
    auto it = by_attnum.find(static_cast<int>(attopts.get_int(i, "attnum")));
    if (it != by_attnum.end())
      def.columns[it->second].options.emplace_back(attopts.get(i, "option_name"), attopts.get(i, "option_value"));
  }

  // ------------------------------------------------------------ sequences
  // deptype 'i' = identity sequence, 'a' = OWNED BY (serial and friends).
  Result seqs = conn.query(
      "SELECT d.deptype, d.refobjsubid AS attnum, sn.nspname AS seq_schema, s.relname AS seq_name,"
      " pg_catalog.format_type(ps.seqtypid, NULL) AS seq_type, ps.seqstart, ps.seqincrement, ps.seqmin,"
      " ps.seqmax, ps.seqcache, ps.seqcycle, s.relpersistence, a.attname AS owner_column, " +
          description("s.oid", "pg_catalog.pg_class") +
          " AS comment"
          " FROM pg_catalog.pg_depend d"
          " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
          " JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace"
          " JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = s.oid"
          " JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
          " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
          " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
          " AND d.refobjid = $1 AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')"
          " ORDER BY s.relname",
      {oid});
  for (int i = 0; i < seqs.rows(); ++i) {
    SequenceDefinition s = sequence_from_row(conn, seqs, i);
    s.owner_column = seqs.get(i, "owner_column");
    auto it = by_attnum.find(static_cast<int>(seqs.get_int(i, "attnum")));
    if (seqs.get(i, "deptype") == "i" && it != by_attnum.end())
      def.columns[it->second].identity_sequence = std::move(s);
    else
      def.owned_sequences.push_back(std::move(s));
  }

  // ------------------------------------------------------------ constraints
  // Constraint triggers (contype 't') come back with the triggers.
  Result cons = conn.query(
      "SELECT co.conname, co.contype, pg_catalog.pg_get_constraintdef(co.oid) AS definition,"
      " co.condeferrable, co.condeferred, co.convalidated, co.confrelid = co.conrelid AS self_reference,"
      " CASE WHEN co.contype = 'f' THEN pg_catalog.quote_ident(rn.nspname) || '.' ||"
      "   pg_catalog.quote_ident(rc.relname) END AS referenced_table,"
      " " + ordered_attnames("co.conrelid", "co.conkey") + " AS fk_columns,"
      " " + ordered_attnames("co.confrelid", "co.confkey") + " AS referenced_columns,"
      " " + depended_columns("pg_catalog.pg_constraint", "co.oid", "co.conrelid",
                             "co.conkey || CASE WHEN co.confrelid = co.conrelid THEN co.confkey"
                             " ELSE '{}'::pg_catalog.int2[] END") + " AS columns,"
      " CASE WHEN co.contype IN ('p', 'u', 'x') THEN ic.relname END AS index_name,"
      " CASE WHEN co.contype IN ('p', 'u', 'x') THEN " + description("co.conindid", "pg_catalog.pg_class") +
      " END AS index_comment,"
      " coalesce(ix.indisclustered AND co.contype IN ('p', 'u', 'x'), false) AS index_clustered,"
      " coalesce(ix.indisreplident AND co.contype IN ('p', 'u', 'x'), false) AS index_replident,"
      " ARRAY(SELECT ia.attnum || '=' || ia.attstattarget FROM pg_catalog.pg_attribute ia"
      "   WHERE co.contype IN ('p', 'u', 'x') AND ia.attrelid = co.conindid AND ia.attstattarget >= 0"
      "   ORDER BY ia.attnum) AS index_statistics,"
      " ARRAY(SELECT o.option_name || '=' || o.option_value"
      "   FROM pg_catalog.pg_options_to_table(ic.reloptions) o WHERE co.contype IN ('p', 'u')) AS index_options,"
      " " + description("co.oid", "pg_catalog.pg_constraint") + " AS comment,"
      " co.oid, co.conislocal, co.coninhcount, co.conparentid <> 0 AS from_parent,"
      " CASE WHEN co.contype = 'f' THEN " + qualified_relation_sql("co.conindid") + " END AS referenced_index,"
      " CASE WHEN co.contype IN ('p', 'u', 'x') THEN " +
      qualified_relation_sql("(SELECT ih.inhparent FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = co.conindid)") +
      " END AS parent_index"
      " FROM pg_catalog.pg_constraint co"
      " LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid"
      " LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
      " LEFT JOIN pg_catalog.pg_class ic ON ic.oid = co.conindid"
      " LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid"
      " WHERE co.conrelid = $1 AND co.contype IN ('c', 'f', 'p', 'u', 'x')"
      " ORDER BY co.conname",
      {oid});
  for (int i = 0; i < cons.rows(); ++i) {
    ConstraintDefinition c;
    c.name = cons.get(i, "conname");
    c.type = cons.get(i, "contype")[0];
    c.definition = cons.get(i, "definition");
    c.deferrable = cons.get_bool(i, "condeferrable");
    c.deferred = cons.get_bool(i, "condeferred");
    c.validated = cons.get_bool(i, "convalidated");
    c.comment = opt(cons, i, "comment");
    c.columns = names(cons, i, "columns");
    if (c.type == 'f') {
      c.fk_columns = names(cons, i, "fk_columns");
      c.referenced_table = cons.get(i, "referenced_table");
      c.referenced_columns = names(cons, i, "referenced_columns");
      c.self_reference = cons.get_bool(i, "self_reference");
    }
    c.index_name = opt(cons, i, "index_name");
    c.index_comment = opt(cons, i, "index_comment");
    c.index_clustered = cons.get_bool(i, "index_clustered");
    c.index_replica_identity = cons.get_bool(i, "index_replident");
    c.index_statistics = index_statistics(cons.get(i, "index_statistics"));
    for (const auto& item : names(cons, i, "index_options")) {
      auto eq = item.find('=');
      c.index_options.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    c.oid = cons.get(i, "oid");
    c.is_local = cons.get_bool(i, "conislocal");
    c.inherit_count = static_cast<int>(cons.get_int(i, "coninhcount"));
    c.from_parent = cons.get_bool(i, "from_parent");
    c.referenced_index = cons.get(i, "referenced_index");
    c.parent_index = cons.get(i, "parent_index");
    def.constraints.push_back(std::move(c));
  }

  // ------------------------------------------------------------ indexes
  Result idx = conn.query(
      "SELECT ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition, i.indisunique,"
      " i.indisvalid AND i.indisready AS valid, i.indisclustered, i.indisreplident,"
      " " + depended_columns("pg_catalog.pg_class", "i.indexrelid", "i.indrelid", "i.indkey::pg_catalog.int2[]") +
      " AS columns,"
      " ARRAY(SELECT ia.attnum || '=' || ia.attstattarget FROM pg_catalog.pg_attribute ia"
      "   WHERE ia.attrelid = i.indexrelid AND ia.attstattarget >= 0 ORDER BY ia.attnum) AS statistics,"
      " " + description("i.indexrelid", "pg_catalog.pg_class") + " AS comment, i.indexrelid AS oid,"
      " " + qualified_relation_sql("(SELECT ih.inhparent FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = i.indexrelid)") +
      " AS parent_index"
      " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
      " WHERE i.indrelid = $1 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co"
      "   WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))"
      " ORDER BY ic.relname",
      {oid});
  for (int i = 0; i < idx.rows(); ++i) {
    IndexDefinition x;
    x.name = idx.get(i, "relname");
    x.definition = idx.get(i, "definition");
    x.unique = idx.get_bool(i, "indisunique");
    x.valid = idx.get_bool(i, "valid");
    x.clustered = idx.get_bool(i, "indisclustered");
    x.replica_identity = idx.get_bool(i, "indisreplident");
    x.columns = names(idx, i, "columns");
    x.statistics = index_statistics(idx.get(i, "statistics"));
    x.comment = opt(idx, i, "comment");
    x.oid = idx.get(i, "oid");
    x.parent_index = idx.get(i, "parent_index");
    def.indexes.push_back(std::move(x));
  }

  // ------------------------------------------------------------ triggers
  Result trg = conn.query(
      "SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid) AS definition, t.tgenabled, t.tgtype,"
      " t.tgconstraint <> 0 AS is_constraint,"
      " " + ordered_attnames("t.tgrelid", "t.tgattr::pg_catalog.int2[]") + " AS update_columns,"
      " " + depended_columns("pg_catalog.pg_trigger", "t.oid", "t.tgrelid", "t.tgattr::pg_catalog.int2[]") +
      " AS columns,"
      " " + description("t.oid", "pg_catalog.pg_trigger") + " AS comment, t.tgparentid <> 0 AS from_parent"
      " FROM pg_catalog.pg_trigger t WHERE t.tgrelid = $1 AND NOT t.tgisinternal ORDER BY t.tgname",
      {oid});
  for (int i = 0; i < trg.rows(); ++i) {
    TriggerDefinition t;
    t.name = trg.get(i, "tgname");
    t.definition = trg.get(i, "definition");
    t.enabled = trg.get(i, "tgenabled")[0];
    t.type = static_cast<int>(trg.get_int(i, "tgtype"));
    t.is_constraint = trg.get_bool(i, "is_constraint");
    t.update_columns = names(trg, i, "update_columns");
    t.columns = names(trg, i, "columns");
    t.comment = opt(trg, i, "comment");
    t.from_parent = trg.get_bool(i, "from_parent");
    def.triggers.push_back(std::move(t));
  }
  return def;
}

}  // namespace

TableDefinition read_table_definition(Connection& conn, const std::string& schema, const std::string& table) {
  return read_definition(conn, schema, table, false);
}

TableDefinition read_relation_definition(Connection& conn, const std::string& schema, const std::string& table) {
  return read_definition(conn, schema, table, true);
}

}  // namespace pgclone::agent::catalog
