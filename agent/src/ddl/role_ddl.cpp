#include "ddl/role_ddl.h"

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

// pg_dump's variable_is_guc_list_quote(): settings whose value is a list of
// names, stored with each element quoted as an identifier when needed.
bool is_list_setting(const std::string& name) {
  return name == "local_preload_libraries" || name == "search_path" || name == "session_preload_libraries" ||
         name == "shared_preload_libraries" || name == "temp_tablespaces" || name == "unix_socket_directories";
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

std::vector<std::string> split_setting_list(const std::string& value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  auto skip_blanks = [&] {
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t' || value[pos] == '\n' || value[pos] == '\r')) ++pos;
  };
  skip_blanks();
  if (pos >= value.size()) return out;
  while (true) {
    std::string item;
    if (value[pos] == '"') {
      ++pos;
      while (pos < value.size()) {
        if (value[pos] == '"') {
          if (pos + 1 < value.size() && value[pos + 1] == '"') {
            item += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        item += value[pos++];
      }
    } else {
      while (pos < value.size() && value[pos] != ',') item += value[pos++];
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.pop_back();
    }
    out.push_back(item);
    skip_blanks();
    if (pos >= value.size() || value[pos] != ',') break;
    ++pos;
    skip_blanks();
  }
  return out;
}

std::string role_setting_sql(const std::string& role, const std::string& database, const std::string& setting) {
  const std::size_t equals = setting.find('=');
  const std::string name = setting.substr(0, equals);
  const std::string value = equals == std::string::npos ? "" : setting.substr(equals + 1);
  std::string sql = "ALTER ROLE " + quote_ident(role) + in_database(database) + " SET " + quote_ident(name) + " TO ";
  if (is_list_setting(name)) {
    std::vector<std::string> literals;
    for (const std::string& item : split_setting_list(value)) literals.push_back(quote_literal(item));
    // An empty list is stored as "" (one empty element) by SET x TO ''.
    sql += literals.empty() ? "''" : join(literals);
  } else {
    sql += quote_literal(value);
  }
  return sql;
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
