#include <gtest/gtest.h>

#include "ddl/role_ddl.h"

namespace pgclone::agent::ddl {
namespace {

catalog::RoleDefinition app() {
  catalog::RoleDefinition role;
  role.name = "App User";
  role.login = true;
  role.inherit = false;
  role.connection_limit = 10;
  return role;
}

TEST(RoleDdl, CreateNamesEveryAttributeInPgDumpallOrder) {
  catalog::RoleDefinition role = app();
  role.superuser = true;
  role.valid_until = "2031-01-01 00:00:00+00";
  RoleAttributeText how;
  how.superuser_attributes = true;
  EXPECT_EQ(create_role_sql(role, how),
            "CREATE ROLE \"App User\" WITH SUPERUSER NOINHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION "
            "NOBYPASSRLS CONNECTION LIMIT 10 VALID UNTIL '2031-01-01 00:00:00+00'");
}

TEST(RoleDdl, LeavesSuperuserOnlyAttributesOutForOthers) {
  // PostgreSQL refuses even NOSUPERUSER from a caller that is not a superuser.
  EXPECT_EQ(alter_role_sql(app(), RoleAttributeText{}),
            "ALTER ROLE \"App User\" WITH NOINHERIT NOCREATEROLE NOCREATEDB LOGIN CONNECTION LIMIT 10");
}

TEST(RoleDdl, PasswordHashAndClearedValidUntil) {
  catalog::RoleDefinition role = app();
  role.password_hash = "SCRAM-SHA-256$4096:x'y";
  RoleAttributeText how;
  how.clear_valid_until = true;
  EXPECT_EQ(alter_role_sql(role, how),
            "ALTER ROLE \"App User\" WITH NOINHERIT NOCREATEROLE NOCREATEDB LOGIN CONNECTION LIMIT 10 "
            "PASSWORD 'SCRAM-SHA-256$4096:x''y' VALID UNTIL 'infinity'");
  // A new role has no VALID UNTIL to clear.
  EXPECT_EQ(create_role_sql(app(), how).find("VALID UNTIL"), std::string::npos);
}

TEST(RoleDdl, SettingsAsPgDumpallWritesThem) {
  EXPECT_EQ(role_setting_sql("app", "", "work_mem=64MB"), "ALTER ROLE app SET work_mem TO '64MB'");
  EXPECT_EQ(role_setting_sql("app", "My DB", "search_path=\"$user\", public, \"Odd \"\"S\"\"\""),
            "ALTER ROLE app IN DATABASE \"My DB\" SET search_path TO '$user', 'public', 'Odd \"S\"'");
  EXPECT_EQ(role_setting_sql("app", "", "myapp.flag=it's"), "ALTER ROLE app SET \"myapp.flag\" TO 'it''s'");
  EXPECT_EQ(role_reset_sql("app", "db"), "ALTER ROLE app IN DATABASE db RESET ALL");
}

TEST(RoleDdl, SplitsListSettings) {
  EXPECT_EQ(split_setting_list("a, \"b,c\" ,d"), (std::vector<std::string>{"a", "b,c", "d"}));
  EXPECT_TRUE(split_setting_list("").empty());
}

TEST(RoleDdl, Memberships) {
  EXPECT_EQ(membership_sql({"staff", "App User", true}), "GRANT staff TO \"App User\" WITH ADMIN OPTION");
  EXPECT_EQ(membership_sql({"pg_read_all_data", "app", false}), "GRANT pg_read_all_data TO app");
  EXPECT_EQ(revoke_admin_option_sql("staff", "app"), "REVOKE ADMIN OPTION FOR staff FROM app");
  EXPECT_EQ(role_comment_sql(app()), "COMMENT ON ROLE \"App User\" IS NULL");
}

}  // namespace
}  // namespace pgclone::agent::ddl
