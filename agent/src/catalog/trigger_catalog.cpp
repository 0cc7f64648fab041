// Triggers of a batch of tables, constraint triggers included; the internal
// ones (foreign keys' own) are skipped.
#include "catalog/catalog_sql.h"
#include "catalog/table_batch.h"

namespace pgclone::agent::catalog {

namespace {

std::string triggers_sql() {
  return "SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid) AS definition, t.tgenabled, t.tgtype,"
         " t.tgconstraint <> 0 AS is_constraint,"
         " " + ordered_attnames_sql("t.tgrelid", "t.tgattr::pg_catalog.int2[]") + " AS update_columns,"
         " " + depended_columns_sql("pg_catalog.pg_trigger", "t.oid", "t.tgrelid", "t.tgattr::pg_catalog.int2[]") +
         " AS columns,"
         " " + description_sql("t.oid", "pg_catalog.pg_trigger") + " AS comment, t.tgparentid <> 0 AS from_parent"
         " FROM pg_catalog.pg_trigger t WHERE t.tgrelid = ANY ($1::pg_catalog.oid[]) AND NOT t.tgisinternal"
         " ORDER BY t.tgrelid, t.tgname";
}

}  // namespace

void read_triggers(pg::Connection& conn, TableBatch& batch) {
  pg::Result trg = conn.query(triggers_sql(), {batch.oid_array()});
  for (int i = 0; i < trg.rows(); ++i) {
    TriggerDefinition t;
    t.name = trg.get(i, "tgname");
    t.definition = trg.get(i, "definition");
    t.enabled = trg.get(i, "tgenabled")[0];
    t.type = static_cast<int>(trg.get_int(i, "tgtype"));
    t.is_constraint = trg.get_bool(i, "is_constraint");
    t.update_columns = array_column(trg, i, "update_columns");
    t.columns = array_column(trg, i, "columns");
    t.comment = trg.get_optional(i, "comment");
    t.from_parent = trg.get_bool(i, "from_parent");
    batch.table(trg.get(i, "tgrelid")).triggers.push_back(std::move(t));
  }
}

}  // namespace pgclone::agent::catalog
