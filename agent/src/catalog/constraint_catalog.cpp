// PRIMARY KEY, UNIQUE, EXCLUDE, CHECK and FOREIGN KEY constraints of a batch
// of tables. Constraint triggers (contype 't') come back with the triggers.
#include "catalog/catalog_sql.h"
#include "catalog/table_batch.h"

namespace pgclone::agent::catalog {

namespace {

std::string constraints_sql() {
  const std::string owns_index = "co.contype IN ('p', 'u', 'x')";
  return "SELECT co.conrelid, co.conname, co.contype, pg_catalog.pg_get_constraintdef(co.oid) AS definition,"
         " co.condeferrable, co.condeferred, co.convalidated, co.confrelid = co.conrelid AS self_reference,"
         " CASE WHEN co.contype = 'f' THEN pg_catalog.quote_ident(rn.nspname) || '.' ||"
         "   pg_catalog.quote_ident(rc.relname) END AS referenced_table,"
         " " + ordered_attnames_sql("co.conrelid", "co.conkey") + " AS fk_columns,"
         " " + ordered_attnames_sql("co.confrelid", "co.confkey") + " AS referenced_columns,"
         " " + depended_columns_sql("pg_catalog.pg_constraint", "co.oid", "co.conrelid",
                                    "co.conkey || CASE WHEN co.confrelid = co.conrelid THEN co.confkey"
                                    " ELSE '{}'::pg_catalog.int2[] END") + " AS columns,"
         " CASE WHEN " + owns_index + " THEN ic.relname END AS index_name,"
         " CASE WHEN " + owns_index + " THEN " + description_sql("co.conindid", "pg_catalog.pg_class") +
         " END AS index_comment,"
         " coalesce(ix.indisclustered AND " + owns_index + ", false) AS index_clustered,"
         " coalesce(ix.indisreplident AND " + owns_index + ", false) AS index_replident,"
         " ARRAY(SELECT ia.attnum || '=' || ia.attstattarget FROM pg_catalog.pg_attribute ia"
         "   WHERE " + owns_index + " AND ia.attrelid = co.conindid AND ia.attstattarget >= 0"
         "   ORDER BY ia.attnum) AS index_statistics,"
         " ARRAY(SELECT o.option_name || '=' || o.option_value"
         "   FROM pg_catalog.pg_options_to_table(ic.reloptions) o WHERE co.contype IN ('p', 'u')) AS index_options,"
         " " + description_sql("co.oid", "pg_catalog.pg_constraint") + " AS comment,"
         " co.oid, co.conislocal, co.coninhcount, co.conparentid <> 0 AS from_parent,"
         " CASE WHEN co.contype = 'f' THEN " + qualified_relation_sql("co.conindid") + " END AS referenced_index,"
         " CASE WHEN " + owns_index + " THEN " +
         qualified_relation_sql("(SELECT ih.inhparent FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = co.conindid)") +
         " END AS parent_index"
         " FROM pg_catalog.pg_constraint co"
         " LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid"
         " LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
         " LEFT JOIN pg_catalog.pg_class ic ON ic.oid = co.conindid"
         " LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid"
         " WHERE co.conrelid = ANY ($1::pg_catalog.oid[]) AND co.contype IN ('c', 'f', 'p', 'u', 'x')"
         " ORDER BY co.conrelid, co.conname";
}

ConstraintDefinition constraint_from_row(const pg::Result& cons, int i) {
  ConstraintDefinition c;
  c.name = cons.get(i, "conname");
  c.type = cons.get(i, "contype")[0];
  c.definition = cons.get(i, "definition");
  c.deferrable = cons.get_bool(i, "condeferrable");
  c.deferred = cons.get_bool(i, "condeferred");
  c.validated = cons.get_bool(i, "convalidated");
  c.comment = cons.get_optional(i, "comment");
  c.columns = array_column(cons, i, "columns");
  if (c.type == 'f') {
    c.fk_columns = array_column(cons, i, "fk_columns");
    c.referenced_table = cons.get(i, "referenced_table");
    c.referenced_columns = array_column(cons, i, "referenced_columns");
    c.self_reference = cons.get_bool(i, "self_reference");
  }
  c.index_name = cons.get_optional(i, "index_name");
  c.index_comment = cons.get_optional(i, "index_comment");
  c.index_clustered = cons.get_bool(i, "index_clustered");
  c.index_replica_identity = cons.get_bool(i, "index_replident");
  c.index_statistics = parse_index_statistics(array_column(cons, i, "index_statistics"));
  for (const auto& item : array_column(cons, i, "index_options")) {
    auto eq = item.find('=');
    c.index_options.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  c.oid = cons.get(i, "oid");
  c.is_local = cons.get_bool(i, "conislocal");
  c.inherit_count = static_cast<int>(cons.get_int(i, "coninhcount"));
  c.from_parent = cons.get_bool(i, "from_parent");
  c.referenced_index = cons.get(i, "referenced_index");
  c.parent_index = cons.get(i, "parent_index");
  return c;
}

}  // namespace

void read_constraints(pg::Connection& conn, TableBatch& batch) {
  pg::Result cons = conn.query(constraints_sql(), {batch.oid_array()});
  for (int i = 0; i < cons.rows(); ++i)
    batch.table(cons.get(i, "conrelid")).constraints.push_back(constraint_from_row(cons, i));
}

}  // namespace pgclone::agent::catalog
