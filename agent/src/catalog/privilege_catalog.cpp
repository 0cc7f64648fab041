#include "catalog/privilege_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {
namespace {

// Every branch has the same columns: key, kind, schema, name, arguments,
// column_name, owner, acl.
const char* kRelationsSelect =
    "SELECT '1259:' || c.oid AS key, CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind,"
    " n.nspname AS schema, c.relname AS name, '' AS arguments, '' AS column_name,"
    " pg_catalog.pg_get_userbyid(c.relowner) AS owner, c.relacl::pg_catalog.text[] AS acl"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')";

const char* kColumnsSelect =
    "SELECT '1259:' || c.oid, 'column', n.nspname, c.relname, '', a.attname,"
    " pg_catalog.pg_get_userbyid(c.relowner), a.attacl::pg_catalog.text[]"
    " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm')";

// Foreign data wrappers and servers: in no schema; only those the plan
// creates get a privileges step.
const char* kForeignDataSelect =
    "SELECT '2328:' || w.oid, 'foreign_data_wrapper', '', w.fdwname, '', '',"
    " pg_catalog.pg_get_userbyid(w.fdwowner), w.fdwacl::pg_catalog.text[]"
    " FROM pg_catalog.pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL"
    " UNION ALL SELECT '1417:' || s.oid, 'foreign_server', '', s.srvname, '', '',"
    " pg_catalog.pg_get_userbyid(s.srvowner), s.srvacl::pg_catalog.text[]"
    " FROM pg_catalog.pg_foreign_server s WHERE s.srvacl IS NOT NULL";

std::vector<PrivilegeEntry> entries_from(const pg::Result& r) {
  std::vector<PrivilegeEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    PrivilegeEntry e;
    e.key = r.get(i, "key");
    e.kind = r.get(i, "kind");
    e.schema = r.get(i, "schema");
    e.name = r.get(i, "name");
    e.arguments = r.get(i, "arguments");
    e.column = r.get(i, "column_name");
    e.owner = r.get(i, "owner");
    e.acl = array_column(r, i, "acl");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<PrivilegeEntry> read_privileges(pg::Connection& conn, const std::vector<std::string>& schemas) {
  const std::string in_scope = " AND n.nspname = ANY ($1::pg_catalog.text[])";
  pg::Result r = conn.query(
      std::string(kRelationsSelect) + in_scope + " AND " + not_extension_member_sql("pg_catalog.pg_class", "c.oid") +
          " UNION ALL " + kColumnsSelect + in_scope + " AND " +
          not_extension_member_sql("pg_catalog.pg_class", "c.oid") +
          " UNION ALL SELECT '1255:' || p.oid, CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,"
          " n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), '',"
          " pg_catalog.pg_get_userbyid(p.proowner), p.proacl::pg_catalog.text[]"
          " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
          " WHERE p.proacl IS NOT NULL" + in_scope + " AND " + not_extension_member_sql("pg_catalog.pg_proc", "p.oid") +
          " UNION ALL SELECT '1247:' || t.oid, 'type', n.nspname, t.typname, '', '',"
          " pg_catalog.pg_get_userbyid(t.typowner), t.typacl::pg_catalog.text[]"
          " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
          " WHERE t.typacl IS NOT NULL" + in_scope + " AND " + not_extension_member_sql("pg_catalog.pg_type", "t.oid") +
          " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)"
          " AND (t.typrelid = 0 OR (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = t.typrelid) = 'c')"
          " UNION ALL SELECT '2615:' || n.oid, 'schema', n.nspname, n.nspname, '', '',"
          " pg_catalog.pg_get_userbyid(n.nspowner), n.nspacl::pg_catalog.text[]"
          " FROM pg_catalog.pg_namespace n WHERE n.nspacl IS NOT NULL" + in_scope +
          " UNION ALL " + kForeignDataSelect + " ORDER BY 1, 6",
      {text_array_literal(schemas)});
  return entries_from(r);
}

std::vector<PrivilegeEntry> read_table_privileges(pg::Connection& conn, const std::string& table_oid) {
  pg::Result r = conn.query(
      std::string(kRelationsSelect) +
          " AND (c.oid = $1::pg_catalog.oid OR c.oid IN (SELECT d.objid FROM pg_catalog.pg_depend d"
          "   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = $1::pg_catalog.oid"
          "   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0"
          "   AND d.deptype IN ('a', 'i')))"
          " UNION ALL " + kColumnsSelect + " AND c.oid = $1::pg_catalog.oid ORDER BY 1, 6",
      {table_oid});
  return entries_from(r);
}

std::vector<PrivilegeEntry> read_large_object_privileges(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT '2613:' || m.oid AS key, 'large_object' AS kind, '' AS schema, m.oid::pg_catalog.text AS name,"
      " '' AS arguments, '' AS column_name, pg_catalog.pg_get_userbyid(m.lomowner) AS owner,"
      " m.lomacl::pg_catalog.text[] AS acl"
      " FROM pg_catalog.pg_largeobject_metadata m WHERE m.lomacl IS NOT NULL ORDER BY m.oid");
  return entries_from(r);
}

}  // namespace pgclone::agent::catalog
