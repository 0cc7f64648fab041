#include "ddl/role_ddl.h"

#include "ddl/setting_ddl.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {
namespace {

std::string attributes(const catalog::RoleDefinition& role, const RoleAttributeText& how) {
  std::string out;
  auto flag = [&out](bool on, const char* name) { out += std::string(" ") + (on ? "" : "NO") + name; };
  if (how.superuser_attributes) flag(role.superuser, "SUPERUSER");
  flag(role.inherit, "INHERIT");
  flag(role.create_role, "CREATEROLE");
  flag(role.create_db, "CREATEDB");
  flag(role.login, "LOGIN");
  if (how.superuser_attributes) {
    flag(role.replication, "REPLICATION");
    flag(role.bypass_rls, "BYPASSRLS");
  }
  out += " CONNECTION LIMIT " + std::to_string(role.connection_limit);
  if (role.password_hash) out += " PASSWORD " + quote_literal(*role.password_hash);
  if (role.valid_until) {
    out += " VALID UNTIL " + quote_literal(*role.valid_until);
  } else if (how.clear_valid_until) {
    out += " VALID UNTIL 'infinity'";
  }
  return out;
}

std::string in_database(const std::string& database) {
  return database.empty() ? "" : " IN DATABASE " + quote_ident(database);
}

}  // namespace

std::string create_role_sql(const catalog::RoleDefinition& role, const RoleAttributeText& how) {
  RoleAttributeText creating = how;
  creating.clear_valid_until = false;
  return "CREATE ROLE " + quote_ident(role.name) + " WITH" + attributes(role, creating);
}

std::string alter_role_sql(const catalog::RoleDefinition& role, const RoleAttributeText& how) {
  return "ALTER ROLE " + quote_ident(role.name) + " WITH" + attributes(role, how);
}

std::string role_comment_sql(const catalog::RoleDefinition& role) {
  return "COMMENT ON ROLE " + quote_ident(role.name) + " IS " + (role.comment ? quote_literal(*role.comment) : "NULL");
}

std::string role_setting_sql(const std::string& role, const std::string& database, const std::string& setting) {
  return "ALTER ROLE " + quote_ident(role) + in_database(database) + " " + set_setting_sql(setting);
}

std::string role_reset_sql(const std::string& role, const std::string& database) {
  return "ALTER ROLE " + quote_ident(role) + in_database(database) + " RESET ALL";
}

std::string membership_sql(const catalog::RoleMembership& membership) {
  return "GRANT " + quote_ident(membership.role) + " TO " + quote_ident(membership.member) +
         (membership.admin_option ? " WITH ADMIN OPTION" : "");
}

std::string revoke_admin_option_sql(const std::string& role, const std::string& member) {
  return "REVOKE ADMIN OPTION FOR " + quote_ident(role) + " FROM " + quote_ident(member);
}

}  // namespace pgclone::agent::ddl
