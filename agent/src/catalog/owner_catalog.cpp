#include "catalog/owner_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {
namespace {

std::vector<OwnerEntry> entries_from(const pg::Result& r) {
  std::vector<OwnerEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.get(i, "key"), r.get(i, "keyword"), r.get(i, "schema"), r.get(i, "name"), r.get(i, "arguments"),
                   r.get(i, "owner")});
  }
  return out;
}

}  // namespace

std::vector<OwnerEntry> read_owners(pg::Connection& conn, const std::vector<std::string>& schemas) {
  const std::string in_scope = " AND n.nspname = ANY ($1::pg_catalog.text[])";
  const pg::Result r = conn.query(
      "SELECT '2615:' || n.oid AS key, 'SCHEMA' AS keyword, n.nspname AS schema, n.nspname AS name, '' AS arguments,"
      " pg_catalog.pg_get_userbyid(n.nspowner) AS owner FROM pg_catalog.pg_namespace n WHERE true" + in_scope +
      " UNION ALL SELECT '1259:' || c.oid, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'"
      "   WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname, '',"
      " pg_catalog.pg_get_userbyid(c.relowner)"
      " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')" + in_scope + " AND " +
      not_extension_member_sql("pg_catalog.pg_class", "c.oid") +
      " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
      "   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid"
      "   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')))"
      " UNION ALL SELECT '1255:' || p.oid, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE'"
      "   ELSE 'FUNCTION' END, n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),"
      " pg_catalog.pg_get_userbyid(p.proowner)"
      " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE true" + in_scope +
      " AND " + not_extension_member_sql("pg_catalog.pg_proc", "p.oid") +
      " UNION ALL SELECT '1247:' || t.oid, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname,"
      " '', pg_catalog.pg_get_userbyid(t.typowner)"
      " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
      " WHERE t.typtype <> 'm'" + in_scope + " AND " + not_extension_member_sql("pg_catalog.pg_type", "t.oid") +
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)"
      " AND (t.typrelid = 0 OR (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = t.typrelid) = 'c')"
      " UNION ALL SELECT '3456:' || co.oid, 'COLLATION', n.nspname, co.collname, '', pg_catalog.pg_get_userbyid(co.collowner)"
      " FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace WHERE true" + in_scope +
      " AND " + not_extension_member_sql("pg_catalog.pg_collation", "co.oid") +
      " UNION ALL SELECT '3381:' || s.oid, 'STATISTICS', n.nspname, s.stxname, '', pg_catalog.pg_get_userbyid(s.stxowner)"
      " FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace WHERE true" + in_scope +
      " ORDER BY 1",
      {text_array_literal(schemas)});
  return entries_from(r);
}

std::vector<OwnerEntry> read_large_object_owners(pg::Connection& conn) {
  return entries_from(conn.query(
      "SELECT '2613:' || m.oid AS key, 'LARGE OBJECT' AS keyword, '' AS schema, m.oid::pg_catalog.text AS name,"
      " '' AS arguments, pg_catalog.pg_get_userbyid(m.lomowner) AS owner"
      " FROM pg_catalog.pg_largeobject_metadata m ORDER BY m.oid"));
}

}  // namespace pgclone::agent::catalog
