#include "catalog/role_catalog.h"

#include <set>

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::string reserved_role_condition_sql(const std::string& r) {
  return "(" + r + ".rolname ~ '^pg_' OR " + r + ".oid = 10)";
}

NamedRoles check_role_names(pg::Connection& conn, const std::vector<std::string>& names) {
  NamedRoles out;
  if (names.empty()) return out;
  const pg::Result r = conn.query(
      "SELECT n.name, r.oid IS NULL AS missing, COALESCE(" + reserved_role_condition_sql("r") + ", false) AS reserved"
      " FROM pg_catalog.unnest($1::pg_catalog.text[]) WITH ORDINALITY AS n(name, i)"
      " LEFT JOIN pg_catalog.pg_roles r ON r.rolname = n.name ORDER BY n.i",
      {text_array_literal(names)});
  for (int i = 0; i < r.rows(); ++i) {
    if (r.get_bool(i, "missing")) out.missing.push_back(r.get(i, "name"));
    else if (r.get_bool(i, "reserved")) out.reserved.push_back(r.get(i, "name"));
  }
  return out;
}

SourceRoles read_roles(pg::Connection& conn, const std::vector<std::string>& names, bool with_passwords) {
  SourceRoles out;
  const std::string scope = names.empty() ? "true" : "r.rolname = ANY ($1::pg_catalog.text[])";
  const std::vector<std::optional<std::string>> params =
      names.empty() ? std::vector<std::optional<std::string>>{} : std::vector<std::optional<std::string>>{text_array_literal(names)};
  const pg::Result roles = conn.query(
      "SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,"
      " r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil::pg_catalog.text AS valid_until,"
      " pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment"
      " FROM pg_catalog.pg_roles r WHERE NOT " + reserved_role_condition_sql("r") + " AND " + scope +
      " ORDER BY r.rolname COLLATE \"C\"",
      params);
  std::vector<std::string> in_scope;
  for (int i = 0; i < roles.rows(); ++i) {
    RoleDefinition role;
    role.name = roles.get(i, "rolname");
    role.superuser = roles.get_bool(i, "rolsuper");
    role.inherit = roles.get_bool(i, "rolinherit");
    role.create_role = roles.get_bool(i, "rolcreaterole");
    role.create_db = roles.get_bool(i, "rolcreatedb");
    role.login = roles.get_bool(i, "rolcanlogin");
    role.replication = roles.get_bool(i, "rolreplication");
    role.bypass_rls = roles.get_bool(i, "rolbypassrls");
    role.connection_limit = static_cast<int>(roles.get_int(i, "rolconnlimit"));
    role.valid_until = roles.get_optional(i, "valid_until");
    role.comment = roles.get_optional(i, "comment");
    in_scope.push_back(role.name);
    out.roles.push_back(std::move(role));
  }
  if (in_scope.empty()) return out;
  const std::string scope_array = text_array_literal(in_scope);

  if (with_passwords &&
      conn.query("SELECT pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT')").get(0, 0) == "t") {
    const pg::Result hashes = conn.query(
        "SELECT a.rolname, a.rolpassword FROM pg_catalog.pg_authid a WHERE a.rolname = ANY ($1::pg_catalog.text[])",
        {scope_array});
    for (int i = 0; i < hashes.rows(); ++i) {
      for (RoleDefinition& role : out.roles) {
        if (role.name == hashes.get(i, "rolname")) role.password_hash = hashes.get_optional(i, "rolpassword");
      }
    }
    out.passwords_read = true;
  }

  const pg::Result members = conn.query(
      "SELECT g.rolname AS role, m.rolname AS member, a.admin_option"
      " FROM pg_catalog.pg_auth_members a"
      " JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member"
      " WHERE g.rolname = ANY ($1::pg_catalog.text[]) OR m.rolname = ANY ($1::pg_catalog.text[])"
      " ORDER BY g.rolname COLLATE \"C\", m.rolname COLLATE \"C\"",
      {scope_array});
  for (int i = 0; i < members.rows(); ++i) {
    out.memberships.push_back({members.get(i, "role"), members.get(i, "member"), members.get_bool(i, "admin_option")});
  }

  const pg::Result settings = conn.query(
      "SELECT r.rolname AS role, COALESCE(d.datname, '') AS database, s.setconfig::pg_catalog.text[] AS config"
      " FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles r ON r.oid = s.setrole"
      " LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase"
      " WHERE r.rolname = ANY ($1::pg_catalog.text[]) AND (s.setdatabase = 0 OR d.oid IS NOT NULL)"
      " ORDER BY r.rolname COLLATE \"C\", d.datname COLLATE \"C\" NULLS FIRST",
      {scope_array});
  for (int i = 0; i < settings.rows(); ++i) {
    out.settings.push_back({settings.get(i, "role"), settings.get(i, "database"), array_column(settings, i, "config")});
  }
  return out;
}

}  // namespace pgclone::agent::catalog
