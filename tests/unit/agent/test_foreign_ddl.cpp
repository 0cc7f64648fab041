// Foreign tables, typed tables (plan_table_ddl), wrappers, servers and user
// mappings (ddl/foreign_ddl.h) and their plan steps (plan/foreign_steps.h).
#include <gtest/gtest.h>

#include "ddl/foreign_ddl.h"
#include "ddl/privilege_ddl.h"
#include "ddl/table_ddl.h"
#include "plan/foreign_steps.h"
#include "plan/table_steps.h"

using namespace pgclone::agent;
using catalog::ColumnDefinition;
using catalog::ConstraintDefinition;
using catalog::TableDefinition;

namespace {

ColumnDefinition column(const std::string& name, const std::string& type) {
  ColumnDefinition c;
  c.name = name;
  c.type = type;
  return c;
}

TableDefinition foreign_table() {
  TableDefinition t;
  t.oid = "200";
  t.schema = "s";
  t.name = "remote";
  t.relkind = 'f';
  t.foreign_server = "loop back";
  t.foreign_options = {{"schema_name", "s"}, {"table_name", "it's"}};
  ColumnDefinition id = column("id", "integer");
  id.fdw_options = {{"column_name", "id"}};
  id.not_null = true;
  ColumnDefinition label = column("label", "text");
  label.default_expr = "'none'::text";
  label.collation = "pg_catalog.\"C\"";
  t.columns = {id, label};
  ConstraintDefinition check;
  check.name = "remote_id_check";
  check.type = 'c';
  check.definition = "CHECK ((id > 0))";
  t.constraints = {check};
  t.comment = "far away";
  return t;
}

ddl::TableDdlOptions hierarchy() {
  ddl::TableDdlOptions o;
  o.hierarchy = true;
  return o;
}

}  // namespace

TEST(ForeignTableDdl, CreateForeignTableWithServerOptionsAndColumnOptions) {
  auto plan = ddl::plan_table_ddl(foreign_table(), hierarchy());
  ASSERT_FALSE(plan.pre_data.empty());
  EXPECT_EQ(plan.pre_data[0],
            "CREATE FOREIGN TABLE s.remote (\n"
            "    id integer OPTIONS (column_name 'id') NOT NULL,\n"
            "    label text COLLATE pg_catalog.\"C\" DEFAULT 'none'::text,\n"
            "    CONSTRAINT remote_id_check CHECK ((id > 0))\n"
            ")\nSERVER \"loop back\"\nOPTIONS (schema_name 's', table_name 'it''s')");
  EXPECT_EQ(plan.pre_data.back(), "COMMENT ON FOREIGN TABLE s.remote IS 'far away'");
}

TEST(ForeignTableDdl, ForeignPartitionIsAttached) {
  TableDefinition t = foreign_table();
  t.partition_parent = "s.events";
  t.partition_bound = "FOR VALUES FROM (MINVALUE) TO ('2024-01-01')";
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  ASSERT_GE(plan.pre_data.size(), 2u);
  EXPECT_EQ(plan.pre_data[1], "ALTER TABLE ONLY s.events ATTACH PARTITION s.remote FOR VALUES FROM (MINVALUE) TO ('2024-01-01')");
}

TEST(ForeignTableSteps, NoLoadTaskAndKindForeignTable) {
  plan::PlanBuilder builder;
  plan::add_table_steps(builder, foreign_table(), plan::TableStepOptions{true, true, true, 0}, plan::TableSecurity{});
  EXPECT_TRUE(builder.tables.empty()) << "the loader must never get a foreign table";
  ASSERT_NE(builder.find("table:s.remote"), nullptr);
  EXPECT_EQ(builder.find("table:s.remote")->kind, "foreign_table");
  EXPECT_EQ(builder.find("table:s.remote")->description, "foreign table s.remote");
}

TEST(TypedTableDdl, OfTypeWithOnlyTheColumnsItAdds) {
  TableDefinition t;
  t.oid = "300";
  t.schema = "s";
  t.name = "people";
  t.of_type = "s.person";
  ColumnDefinition id = column("id", "integer");
  ColumnDefinition name = column("name", "text");
  name.not_null = true;
  name.default_expr = "'anon'::text";
  t.columns = {id, name, column("born", "date")};
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  EXPECT_EQ(plan.pre_data[0], "CREATE TABLE s.people OF s.person (\n    name WITH OPTIONS DEFAULT 'anon'::text NOT NULL\n)");
  t.columns = {column("id", "integer")};
  EXPECT_EQ(ddl::plan_table_ddl(t, hierarchy()).pre_data[0], "CREATE TABLE s.people OF s.person");
  EXPECT_EQ(ddl::plan_table_ddl(t, hierarchy()).copy_columns, std::vector<std::string>{"id"});
}

TEST(ForeignDataDdl, WrapperAndServer) {
  catalog::ForeignDataWrapperDefinition w{"1", "plain", "", "", {{"debug", "true"}}, std::string("no handler"), ""};
  EXPECT_EQ(ddl::wrapper_statements(w),
            (std::vector<std::string>{"CREATE FOREIGN DATA WRAPPER plain NO HANDLER NO VALIDATOR OPTIONS (debug 'true')",
                                      "COMMENT ON FOREIGN DATA WRAPPER plain IS 'no handler'"}));
  w.handler = "s.h";
  w.validator = "s.v";
  w.options.clear();
  w.comment.reset();
  EXPECT_EQ(ddl::wrapper_statements(w)[0], "CREATE FOREIGN DATA WRAPPER plain HANDLER s.h VALIDATOR s.v");
  catalog::ForeignServerDefinition s{"2", "Archiv Ω", "plain", std::string("tape"), std::string("3"),
                                     {{"host", "t"}}, std::nullopt};
  EXPECT_EQ(ddl::server_statements(s),
            std::vector<std::string>{"CREATE SERVER \"Archiv Ω\" TYPE 'tape' VERSION '3' FOREIGN DATA WRAPPER plain OPTIONS (host 't')"});
}

TEST(ForeignDataDdl, UserMappingPasswordsOnlyWhenKept) {
  catalog::UserMappingDefinition m{"3", "srv", "2", "", catalog::OptionList{{"user", "u"}, {"password", "secret"}, {"sslpassword", "x"}}};
  std::vector<std::string> withheld;
  EXPECT_EQ(ddl::user_mapping_statement(m, false, withheld), "CREATE USER MAPPING FOR PUBLIC SERVER srv OPTIONS (\"user\" 'u')");
  EXPECT_EQ(withheld, (std::vector<std::string>{"password", "sslpassword"}));
  withheld.clear();
  m.role = "Priv Lead";
  EXPECT_EQ(ddl::user_mapping_statement(m, true, withheld),
            "CREATE USER MAPPING FOR \"Priv Lead\" SERVER srv OPTIONS (\"user\" 'u', password 'secret', sslpassword 'x')");
  EXPECT_TRUE(withheld.empty());
  m.options.reset();
  EXPECT_EQ(ddl::user_mapping_statement(m, false, withheld), "CREATE USER MAPPING FOR \"Priv Lead\" SERVER srv");
}

TEST(ForeignDataSteps, SchemaCloneTakesOnlyTheServersItsForeignTablesUse) {
  catalog::ForeignObjects objects;
  objects.wrappers = {{"1", "postgres_fdw", "public.h", "public.v", {}, std::nullopt, "postgres_fdw"},
                      {"4", "plain", "", "", {}, std::nullopt, ""}};
  objects.servers = {{"2", "loop back", "postgres_fdw", std::nullopt, std::nullopt, {}, std::nullopt},
                     {"5", "unused", "plain", std::nullopt, std::nullopt, {}, std::nullopt}};
  objects.mappings = {{"3", "loop back", "2", "alice", catalog::OptionList{{"password", "pw"}}},
                      {"6", "unused", "5", "", catalog::OptionList{}}};
  plan::PlanBuilder schema_plan;
  plan::add_foreign_data_steps(schema_plan, objects, {foreign_table()}, {false, false});
  EXPECT_NE(schema_plan.find("foreign_server:loop back"), nullptr);
  EXPECT_EQ(schema_plan.find("foreign_server:unused"), nullptr);
  EXPECT_EQ(schema_plan.find("foreign_data_wrapper:postgres_fdw"), nullptr) << "an extension's wrapper comes with CREATE EXTENSION";
  EXPECT_EQ(schema_plan.find("foreign_data_wrapper:plain"), nullptr);
  const plan::Step* mapping = schema_plan.find("user_mapping:\"alice\"@loop back");
  ASSERT_NE(mapping, nullptr);
  EXPECT_EQ(mapping->statements, std::vector<std::string>{"CREATE USER MAPPING FOR alice SERVER \"loop back\""});
  ASSERT_EQ(schema_plan.notices.size(), 1u);
  EXPECT_EQ(schema_plan.notices[0].find("pw"), std::string::npos) << "a notice never shows the password";
  EXPECT_NE(schema_plan.notices[0].find("option password not cloned"), std::string::npos);

  plan::PlanBuilder database_plan;
  plan::add_foreign_data_steps(database_plan, objects, {}, {true, true});
  EXPECT_NE(database_plan.find("foreign_data_wrapper:plain"), nullptr);
  EXPECT_NE(database_plan.find("foreign_server:unused"), nullptr);
  EXPECT_NE(database_plan.find("user_mapping:PUBLIC@unused"), nullptr);
  EXPECT_EQ(database_plan.find("user_mapping:\"alice\"@loop back")->statements[0],
            "CREATE USER MAPPING FOR alice SERVER \"loop back\" OPTIONS (password 'pw')");
}

TEST(ForeignDataPrivileges, GrantUsageOnServerAndWrapper) {
  ddl::AclObject server;
  server.kind = ddl::AclObjectKind::kForeignServer;
  server.target = "\"Archiv Ω\"";
  server.owner = "postgres";
  server.acl = std::vector<std::string>{"postgres=U/postgres", "reader=U/postgres"};
  auto statements = ddl::privilege_statements(server);
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].sql, "GRANT ALL ON FOREIGN SERVER \"Archiv Ω\" TO reader");
  server.kind = ddl::AclObjectKind::kForeignDataWrapper;
  server.target = "plain";
  EXPECT_EQ(ddl::privilege_statements(server)[0].sql, "GRANT ALL ON FOREIGN DATA WRAPPER plain TO reader");
}
