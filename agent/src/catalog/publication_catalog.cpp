#include "catalog/publication_catalog.h"

#include <map>

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::vector<PublicationDefinition> read_publications(pg::Connection& conn) {
  std::vector<PublicationDefinition> out;
  std::map<std::string, std::size_t> by_oid;
  pg::Result r = conn.query(
      "SELECT p.oid::text AS oid, p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,"
      " p.pubviaroot, " + description_sql("p.oid", "pg_catalog.pg_publication") + " AS comment"
      " FROM pg_catalog.pg_publication p WHERE " + not_extension_member_sql("pg_catalog.pg_publication", "p.oid") +
      " ORDER BY p.pubname COLLATE \"C\"");
  for (int i = 0; i < r.rows(); ++i) {
    PublicationDefinition p;
    p.oid = r.get(i, "oid");
    p.name = r.get(i, "pubname");
    p.all_tables = r.get_bool(i, "puballtables");
    p.publish_insert = r.get_bool(i, "pubinsert");
    p.publish_update = r.get_bool(i, "pubupdate");
    p.publish_delete = r.get_bool(i, "pubdelete");
    p.publish_truncate = r.get_bool(i, "pubtruncate");
    p.via_partition_root = r.get_bool(i, "pubviaroot");
    p.comment = r.get_optional(i, "comment");
    by_oid[p.oid] = out.size();
    out.push_back(std::move(p));
  }
  if (out.empty()) return out;

  pg::Result tables = conn.query(
      "SELECT pr.prpubid::text AS pub, pr.prrelid::text AS rel, n.nspname, c.relname,"
      " CASE WHEN pr.prattrs IS NULL THEN NULL ELSE " +
      ordered_attnames_sql("pr.prrelid", "pr.prattrs::pg_catalog.int2[]") + "::pg_catalog.text[] END AS columns,"
      " pg_catalog.pg_get_expr(pr.prqual, pr.prrelid) AS row_filter"
      " FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"");
  for (int i = 0; i < tables.rows(); ++i) {
    auto it = by_oid.find(tables.get(i, "pub"));
    if (it == by_oid.end()) continue;
    PublicationTable t;
    t.relation_oid = tables.get(i, "rel");
    t.schema = tables.get(i, "nspname");
    t.name = tables.get(i, "relname");
    t.columns = array_column(tables, i, "columns");
    t.row_filter = tables.get(i, "row_filter");
    out[it->second].tables.push_back(std::move(t));
  }
  pg::Result schemas = conn.query(
      "SELECT pn.pnpubid::text AS pub, n.nspname FROM pg_catalog.pg_publication_namespace pn"
      " JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid ORDER BY n.nspname COLLATE \"C\"");
  for (int i = 0; i < schemas.rows(); ++i) {
    auto it = by_oid.find(schemas.get(i, "pub"));
    if (it != by_oid.end()) out[it->second].schemas.push_back(schemas.get(i, "nspname"));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
