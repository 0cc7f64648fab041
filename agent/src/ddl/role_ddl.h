// Role statements as pg_dumpall writes them (attributes in its order,
// settings as `SET name TO 'value'`, list settings such as search_path one
// literal per element). Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "catalog/role_catalog.h"
#include "ddl/setting_ddl.h"

namespace pgclone::agent::ddl {

struct RoleAttributeText {
  // SUPERUSER, REPLICATION and BYPASSRLS (and their NO forms) can only be
  // named by a superuser, even to say NO: false leaves them out.
  bool superuser_attributes = false;
  // ALTER of a role that has a VALID UNTIL on the target while the source's
  // has none: 'infinity' (a role has no way back to NULL).
  bool clear_valid_until = false;
};

// "CREATE ROLE name WITH ..." / "ALTER ROLE name WITH ...". The password
// hash, when the definition carries one, is in the text: never show it.
std::string create_role_sql(const catalog::RoleDefinition& role, const RoleAttributeText& how);
std::string alter_role_sql(const catalog::RoleDefinition& role, const RoleAttributeText& how);

// COMMENT ON ROLE name IS '...' (IS NULL for none).
std::string role_comment_sql(const catalog::RoleDefinition& role);

// ALTER ROLE name [IN DATABASE d] SET n TO 'v' for one "n=v" entry of
// pg_db_role_setting; `database` "" for every database.
std::string role_setting_sql(const std::string& role, const std::string& database, const std::string& setting);
// ALTER ROLE name [IN DATABASE d] RESET ALL
std::string role_reset_sql(const std::string& role, const std::string& database);

// GRANT role TO member [WITH ADMIN OPTION]
std::string membership_sql(const catalog::RoleMembership& membership);
// REVOKE ADMIN OPTION FOR role FROM member
std::string revoke_admin_option_sql(const std::string& role, const std::string& member);

}  // namespace pgclone::agent::ddl
