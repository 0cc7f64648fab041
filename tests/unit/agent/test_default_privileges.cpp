#include <gtest/gtest.h>

#include "ddl/event_trigger_ddl.h"
#include "ddl/privilege_ddl.h"
#include "ddl/publication_ddl.h"
#include "plan/database_object_steps.h"
#include "plan/default_privilege_steps.h"
#include "plan/dependency_order.h"

namespace pgclone::agent {
namespace {

std::vector<std::string> sql_of(const ddl::AclObject& object) {
  std::vector<std::string> out;
  for (const auto& s : ddl::privilege_statements(object)) out.push_back(s.sql);
  return out;
}

catalog::DefaultPrivilegeEntry entry(const std::string& role, const std::string& schema, const std::string& owner,
                                     char type, std::vector<std::string> acl) {
  catalog::DefaultPrivilegeEntry e;
  e.role = role;
  e.schema = schema;
  e.schema_owner = owner;
  e.object_type = type;
  e.acl = std::move(acl);
  return e;
}

TEST(DefaultPrivileges, TheSchemaOwnersBecomeTheCallers) {
  const auto object = plan::default_privileges_object(entry("alice", "Big S", "alice", 'r', {"reader=r/alice"}));
  EXPECT_EQ(sql_of(object),
            std::vector<std::string>{"ALTER DEFAULT PRIVILEGES IN SCHEMA \"Big S\" GRANT SELECT ON TABLES TO reader"});
  EXPECT_EQ(object.for_role, "");
  const auto statements = ddl::privilege_statements(object);
  EXPECT_EQ(statements[0].grantee, "reader");
  EXPECT_EQ(statements[0].object, "default privileges on TABLES IN SCHEMA \"Big S\"");
}

TEST(DefaultPrivileges, AnotherRoleIsNamedAndNeeded) {
  const auto object = plan::default_privileges_object(entry("bob", "s", "alice", 'f', {"app=X*/bob"}));
  EXPECT_EQ(sql_of(object), std::vector<std::string>{
                                "ALTER DEFAULT PRIVILEGES FOR ROLE bob IN SCHEMA s GRANT ALL ON FUNCTIONS TO app "
                                "WITH GRANT OPTION"});
  for (const auto& s : ddl::privilege_statements(object)) EXPECT_EQ(s.for_role, "bob");
}

TEST(DefaultPrivileges, GlobalEntriesAreRelativeToTheBuiltInDefaults) {
  // REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC for bob, everywhere.
  EXPECT_EQ(sql_of(plan::default_privileges_object(entry("bob", "", "", 'f', {"bob=X/bob"}))),
            std::vector<std::string>{"ALTER DEFAULT PRIVILEGES FOR ROLE bob REVOKE ALL ON FUNCTIONS FROM PUBLIC"});
  // The owner's own privileges narrowed, a grant added.
  EXPECT_EQ(sql_of(plan::default_privileges_object(entry("bob", "", "", 'r', {"bob=r/bob", "reader=r/bob"}))),
            (std::vector<std::string>{
                "ALTER DEFAULT PRIVILEGES FOR ROLE bob REVOKE ALL ON TABLES FROM bob",
                "ALTER DEFAULT PRIVILEGES FOR ROLE bob GRANT SELECT ON TABLES TO bob",
                "ALTER DEFAULT PRIVILEGES FOR ROLE bob GRANT SELECT ON TABLES TO reader"}));
  EXPECT_EQ(sql_of(plan::default_privileges_object(entry("bob", "", "", 'T', {"bob=U/bob"}))),
            std::vector<std::string>{"ALTER DEFAULT PRIVILEGES FOR ROLE bob REVOKE ALL ON TYPES FROM PUBLIC"});
  EXPECT_EQ(sql_of(plan::default_privileges_object(entry("bob", "", "", 'n', {"bob=UC/bob", "reader=U/bob"}))),
            std::vector<std::string>{"ALTER DEFAULT PRIVILEGES FOR ROLE bob GRANT USAGE ON SCHEMAS TO reader"});
}

TEST(DefaultPrivileges, StepsRunLast) {
  plan::PlanBuilder builder;
  builder.add({"schema:s", "schema", "schema s", plan::Section::kPreData, "", {"CREATE SCHEMA s"}, {}});
  plan::add_default_privilege_steps(builder, {entry("alice", "s", "alice", 'S', {"reader=U/alice"}),
                                              entry("alice", "s", "alice", 'r', {})});
  ASSERT_EQ(builder.steps.size(), 2u);  // an empty ACL in a schema adds nothing
  const plan::Step& step = builder.steps[1];
  EXPECT_EQ(step.section, plan::Section::kLast);
  EXPECT_EQ(step.depends_on, std::vector<std::string>{"schema:s"});
  EXPECT_EQ(builder.privileges.count(step.id), 1u);
}

TEST(ReusedObjectPrivileges, ComparedWithTheTargetsCurrentAcl) {
  // The public schema: the source revoked USAGE from PUBLIC and granted CREATE to app;
  // the target's is PostgreSQL 15's default.
  ddl::AclObject schema;
  schema.kind = ddl::AclObjectKind::kSchema;
  schema.target = "public";
  schema.owner = "pg_database_owner";
  schema.acl = std::vector<std::string>{"pg_database_owner=UC/pg_database_owner", "app=C/pg_database_owner"};
  schema.owner_sql = "pg_database_owner";
  schema.baseline = std::vector<std::string>{"pg_database_owner=UC/pg_database_owner", "=U/pg_database_owner"};
  schema.baseline_owner = "pg_database_owner";
  EXPECT_EQ(sql_of(schema), (std::vector<std::string>{"REVOKE USAGE ON SCHEMA public FROM PUBLIC",
                                                      "GRANT CREATE ON SCHEMA public TO app"}));
  // The same ACL as the target's: nothing.
  schema.acl = schema.baseline;
  EXPECT_TRUE(sql_of(schema).empty());
}

TEST(ReusedObjectPrivileges, DatabaseAclWithTheTargetsOwner) {
  ddl::AclObject db;
  db.kind = ddl::AclObjectKind::kDatabase;
  db.target = "\"New DB\"";
  db.owner = "postgres";
  db.acl = std::vector<std::string>{"postgres=CTc/postgres", "reader=c/postgres"};
  db.owner_sql = "carol";
  db.baseline = std::vector<std::string>{"=Tc/carol", "carol=CTc/carol", "old=C/carol"};
  db.baseline_owner = "carol";
  EXPECT_EQ(sql_of(db), (std::vector<std::string>{"REVOKE TEMPORARY, CONNECT ON DATABASE \"New DB\" FROM PUBLIC",
                                                  "REVOKE CREATE ON DATABASE \"New DB\" FROM old",
                                                  "GRANT CONNECT ON DATABASE \"New DB\" TO reader"}));
  // The owner giving up its own TEMPORARY: revoked from the target's owner.
  db.acl = std::vector<std::string>{"postgres=Cc/postgres", "=Tc/postgres"};
  db.baseline = std::vector<std::string>{"=Tc/carol", "carol=CTc/carol"};
  EXPECT_EQ(sql_of(db), (std::vector<std::string>{"REVOKE ALL ON DATABASE \"New DB\" FROM carol",
                                                  "GRANT CREATE, CONNECT ON DATABASE \"New DB\" TO carol"}));
}

TEST(LargeObjectPrivileges, GrantsOnTheSameOid) {
  catalog::PrivilegeEntry e;
  e.key = "2613:424242";
  e.kind = "large_object";
  e.name = "424242";
  e.owner = "alice";
  e.acl = {"alice=rw/alice", "reader=r/alice"};
  plan::PlanBuilder builder;
  plan::add_large_object_privilege_steps(builder, {e});
  ASSERT_EQ(builder.steps.size(), 1u);
  EXPECT_EQ(builder.steps[0].statements, std::vector<std::string>{"GRANT SELECT ON LARGE OBJECT 424242 TO reader"});
  EXPECT_EQ(builder.steps[0].kind, plan::kLargeObjectPrivilegesKind);
  EXPECT_EQ(builder.steps[0].section, plan::Section::kLast);
}

TEST(PublicationDdl, AsPgDumpWritesIt) {
  catalog::PublicationDefinition p;
  p.name = "Pub";
  p.publish_delete = false;
  p.publish_truncate = false;
  p.via_partition_root = true;
  catalog::PublicationTable t;
  t.schema = "s";
  t.name = "Orders";
  t.columns = {"id", "Amount"};
  t.row_filter = "(id > 10)";
  p.tables = {t};
  p.schemas = {"other"};
  p.comment = "it's";
  EXPECT_EQ(ddl::publication_statements(p),
            (std::vector<std::string>{
                "CREATE PUBLICATION \"Pub\" WITH (publish = 'insert, update', publish_via_partition_root = true)",
                "ALTER PUBLICATION \"Pub\" ADD TABLE ONLY s.\"Orders\" (id, \"Amount\") WHERE ((id > 10))",
                "ALTER PUBLICATION \"Pub\" ADD TABLES IN SCHEMA other",
                "COMMENT ON PUBLICATION \"Pub\" IS 'it''s'"}));
  catalog::PublicationDefinition all;
  all.name = "everything";
  all.all_tables = true;
  EXPECT_EQ(ddl::publication_statements(all),
            std::vector<std::string>{
                "CREATE PUBLICATION everything FOR ALL TABLES WITH (publish = 'insert, update, delete, truncate')"});
}

TEST(PublicationSteps, TablesNotClonedAreLeftOut) {
  plan::PlanBuilder builder;
  builder.add({"table:s.t", "table", "table s.t", plan::Section::kPreData, "", {"CREATE TABLE s.t ()"}, {}});
  builder.map_key("1259:10", "table:s.t");
  catalog::PublicationDefinition p;
  p.name = "p";
  catalog::PublicationTable kept, gone;
  kept.relation_oid = "10", kept.schema = "s", kept.name = "t";
  gone.relation_oid = "11", gone.schema = "s", gone.name = "u";
  p.tables = {kept, gone};
  p.schemas = {"s", "elsewhere"};
  plan::add_publication_steps(builder, {p}, {"s"});
  const plan::Step* step = builder.find("publication:p");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->section, plan::Section::kLast);
  EXPECT_EQ(step->statements.size(), 3u);
  EXPECT_EQ(step->statements[1], "ALTER PUBLICATION p ADD TABLE ONLY s.t");
  EXPECT_EQ(step->statements[2], "ALTER PUBLICATION p ADD TABLES IN SCHEMA s");
  EXPECT_EQ(step->depends_on, (std::vector<std::string>{"table:s.t", "schema:s"}));
  EXPECT_EQ(builder.notices.size(), 2u);
}

TEST(EventTriggerDdl, CreatedDisabledThenEnabledAsOnTheSource) {
  catalog::EventTriggerDefinition t;
  t.name = "No Drops";
  t.event = "ddl_command_start";
  t.tags = {"DROP TABLE", "ALTER TABLE"};
  t.function = "admin.no_drops";
  t.enabled = 'A';
  t.comment = "guard";
  EXPECT_EQ(ddl::event_trigger_statements(t),
            (std::vector<std::string>{"CREATE EVENT TRIGGER \"No Drops\" ON ddl_command_start WHEN TAG IN "
                                      "('DROP TABLE', 'ALTER TABLE') EXECUTE FUNCTION admin.no_drops()",
                                      "ALTER EVENT TRIGGER \"No Drops\" DISABLE",
                                      "COMMENT ON EVENT TRIGGER \"No Drops\" IS 'guard'"}));
  EXPECT_EQ(ddl::event_trigger_enable_statements(t),
            std::vector<std::string>{"ALTER EVENT TRIGGER \"No Drops\" ENABLE ALWAYS"});
  t.enabled = 'R';
  EXPECT_EQ(ddl::event_trigger_enable_statements(t),
            std::vector<std::string>{"ALTER EVENT TRIGGER \"No Drops\" ENABLE REPLICA"});
  t.enabled = 'O';
  EXPECT_EQ(ddl::event_trigger_enable_statements(t), std::vector<std::string>{"ALTER EVENT TRIGGER \"No Drops\" ENABLE"});
  t.enabled = 'D';
  EXPECT_TRUE(ddl::event_trigger_enable_statements(t).empty());
}

TEST(EventTriggerSteps, AfterTheirFunctionAndLast) {
  plan::PlanBuilder builder;
  builder.add({"function:s.f()", "function", "function s.f()", plan::Section::kPreData, "", {"CREATE FUNCTION"}, {}});
  builder.map_key("1255:7", "function:s.f()");
  builder.add({"table:s.t", "table", "table s.t", plan::Section::kPreData, "", {"CREATE TABLE"}, {}});
  catalog::EventTriggerDefinition t;
  t.name = "e";
  t.event = "sql_drop";
  t.function_oid = "7";
  t.function = "s.f";
  plan::add_event_trigger_steps(builder, {t});
  const auto steps = plan::order_steps(builder.steps);
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[2].id, "event_trigger:e");
  EXPECT_EQ(steps[2].depends_on, std::vector<std::string>{"function:s.f()"});
  EXPECT_EQ(steps[3].kind, plan::kEventTriggerEnableKind);
  EXPECT_EQ(steps[3].section, plan::Section::kLast);
}

}  // namespace
}  // namespace pgclone::agent
