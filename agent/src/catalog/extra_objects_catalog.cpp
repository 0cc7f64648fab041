#include "catalog/extra_objects_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::vector<StatisticsDefinition> read_statistics(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT s.oid, n.nspname, s.stxname, s.stxrelid, pg_catalog.pg_get_statisticsobjdef(s.oid) AS definition,"
      " s.stxstattarget, " + description_sql("s.oid", "pg_catalog.pg_statistic_ext") +
          " AS comment FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND " +
          not_extension_member_sql("pg_catalog.pg_statistic_ext", "s.oid") + " ORDER BY n.nspname, s.stxname",
      {text_array_literal(schemas)});
  std::vector<StatisticsDefinition> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "oid"), r.get(i, "nspname"), r.get(i, "stxname"), r.get(i, "stxrelid"),
                   r.get(i, "definition"), static_cast<int>(r.get_int(i, "stxstattarget")), r.get_optional(i, "comment")});
  return out;
}

std::vector<CollationDefinition> read_collations(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT c.oid, n.nspname, c.collname, c.collprovider, c.collisdeterministic, c.collcollate, c.collctype,"
      " c.colliculocale, " + description_sql("c.oid", "pg_catalog.pg_collation") +
          " AS comment FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND " +
          not_extension_member_sql("pg_catalog.pg_collation", "c.oid") + " ORDER BY n.nspname, c.collname",
      {text_array_literal(schemas)});
  std::vector<CollationDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    CollationDefinition c;
    c.oid = r.get(i, "oid");
    c.schema = r.get(i, "nspname");
    c.name = r.get(i, "collname");
    c.provider = r.get(i, "collprovider")[0];
    c.deterministic = r.get_bool(i, "collisdeterministic");
    c.collate = r.get(i, "collcollate");
    c.ctype = r.get(i, "collctype");
    c.icu_locale = r.get(i, "colliculocale");
    c.comment = r.get_optional(i, "comment");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
