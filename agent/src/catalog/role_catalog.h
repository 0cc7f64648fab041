// The cluster roles clone_roles() copies, as the source stores them: their
// attributes, comments, memberships and per-role settings. Reserved pg_*
// roles and the bootstrap superuser are never among the roles read (a
// membership in a pg_* role is, as a membership).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct RoleDefinition {
  std::string name;
  bool superuser = false;
  bool inherit = true;
  bool create_role = false;
  bool create_db = false;
  bool login = false;
  bool replication = false;
  bool bypass_rls = false;
  int connection_limit = -1;
  std::optional<std::string> valid_until;  // timestamptz text with its offset; nullopt: none
  // The stored hash (SCRAM or md5); read only when asked for and pg_authid
  // is readable. Never put into messages.
  std::optional<std::string> password_hash;
  std::optional<std::string> comment;
};

// `role` granted to `member`.
struct RoleMembership {
  std::string role;
  std::string member;
  bool admin_option = false;
};

// One pg_db_role_setting row: the role's settings in `database` ("" for every
// database), each "name=value".
struct RoleSettings {
  std::string role;
  std::string database;
  std::vector<std::string> settings;
};

struct SourceRoles {
  std::vector<RoleDefinition> roles;  // by name
  // Every membership one of `roles` has or gives.
  std::vector<RoleMembership> memberships;
  std::vector<RoleSettings> settings;
  bool passwords_read = false;  // password_hash is filled (where the role has one)
};

// Whether a role is left alone by clone_roles: reserved (pg_*) or the
// bootstrap superuser.
std::string reserved_role_condition_sql(const std::string& role_alias);

// The roles named (all non-reserved roles when `names` is empty) with their
// memberships and settings; password hashes when `with_passwords` and the
// session may read pg_authid. Names that match no role, or a reserved one,
// are simply not in the result (the caller checks names first).
SourceRoles read_roles(pg::Connection& conn, const std::vector<std::string>& names, bool with_passwords);

// Of `names`: those the server has no role of (missing) and those that are
// reserved (left alone).
struct NamedRoles {
  std::vector<std::string> missing;
  std::vector<std::string> reserved;
};
NamedRoles check_role_names(pg::Connection& conn, const std::vector<std::string>& names);

}  // namespace pgclone::agent::catalog
