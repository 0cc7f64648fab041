#include "catalog/default_privilege_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::vector<DefaultPrivilegeEntry> read_default_privileges(pg::Connection& conn,
                                                           const std::vector<std::string>& schemas, bool global) {
  pg::Result r = conn.query(
      "SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role, coalesce(n.nspname, '') AS schema,"
      " coalesce(pg_catalog.pg_get_userbyid(n.nspowner), '') AS schema_owner, d.defaclobjtype::text AS object_type,"
      " d.defaclacl::pg_catalog.text[] AS acl"
      " FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace"
      " WHERE (n.nspname = ANY ($1::pg_catalog.text[]) OR (d.defaclnamespace = 0 AND $2::boolean))"
      " ORDER BY pg_catalog.pg_get_userbyid(d.defaclrole) COLLATE \"C\", coalesce(n.nspname, '') COLLATE \"C\","
      " d.defaclobjtype",
      {text_array_literal(schemas), global ? "true" : "false"});
  std::vector<DefaultPrivilegeEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    DefaultPrivilegeEntry e;
    e.role = r.get(i, "role");
    e.schema = r.get(i, "schema");
    e.schema_owner = r.get(i, "schema_owner");
    e.object_type = r.get(i, "object_type").empty() ? 'r' : r.get(i, "object_type")[0];
    e.acl = array_column(r, i, "acl");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
