#include <gtest/gtest.h>

#include "ddl/security_label_ddl.h"
#include "plan/security_label_steps.h"

using namespace pgclone::agent;

namespace {

catalog::SecurityLabel label(const std::string& kind, const std::string& identity, const std::string& text) {
  catalog::SecurityLabel l;
  l.key = "1259:16400";
  l.provider = "selinux";
  l.kind = kind;
  l.identity = identity;
  l.label = text;
  return l;
}

}  // namespace

TEST(SecurityLabelDdl, StatementNamesTheObjectAsTheGrammarDoes) {
  EXPECT_EQ(*ddl::security_label_statement(label("table", "lab.docs", "classified")),
            "SECURITY LABEL FOR selinux ON TABLE lab.docs IS 'classified'");
  EXPECT_EQ(*ddl::security_label_statement(label("table column", "lab.docs.body", "it's secret")),
            "SECURITY LABEL FOR selinux ON COLUMN lab.docs.body IS 'it''s secret'");
  EXPECT_EQ(*ddl::security_label_statement(label("function", "lab.twice(integer)", "x")),
            "SECURITY LABEL FOR selinux ON FUNCTION lab.twice(integer) IS 'x'");
  EXPECT_EQ(*ddl::security_label_statement(label("materialized view", "lab.\"M v\"", "x")),
            "SECURITY LABEL FOR selinux ON MATERIALIZED VIEW lab.\"M v\" IS 'x'");
  EXPECT_FALSE(ddl::security_label_statement(label("operator", "lab.+(integer,integer)", "x")).has_value());
}

TEST(SecurityLabelSteps, OnlyObjectsThePlanCreatesAfterThem) {
  plan::PlanBuilder plan;
  plan.add({"table:lab.docs", "table", "table lab.docs", plan::Section::kPreData, "", {"CREATE TABLE lab.docs ()"}, {}});
  plan.map_key("1259:16400", "table:lab.docs");
  auto outside = label("table", "other.t", "x");
  outside.key = "1259:99999";
  auto column = label("table column", "lab.docs.body", "secret");
  column.subid = 2;
  plan::add_security_label_steps(plan, {label("table", "lab.docs", "classified"), column, outside,
                                        label("operator", "lab.+(integer,integer)", "x")});
  ASSERT_EQ(plan.steps.size(), 3u);
  EXPECT_EQ(plan.steps[1].id, "security_label:1259:16400:0:selinux");
  EXPECT_EQ(plan.steps[1].section, plan::Section::kPostData);
  EXPECT_EQ(plan.steps[1].depends_on, std::vector<std::string>{"table:lab.docs"});
  EXPECT_EQ(plan.steps[2].statements, std::vector<std::string>{"SECURITY LABEL FOR selinux ON COLUMN lab.docs.body IS 'secret'"});
  ASSERT_EQ(plan.notices.size(), 1u);
  EXPECT_NE(plan.notices[0].find("left out"), std::string::npos);
}

TEST(SecurityLabelDdl, DatabaseAndRoleAsTheGrammarNamesThem) {
  EXPECT_EQ(*ddl::security_label_statement(label("role", "\"Reader\"", "classified")),
            "SECURITY LABEL FOR selinux ON ROLE \"Reader\" IS 'classified'");
  EXPECT_EQ(*ddl::security_label_statement(label("database", "src", "classified")),
            "SECURITY LABEL FOR selinux ON DATABASE src IS 'classified'");
  EXPECT_EQ(*ddl::security_label_statement(label("large object", "16500", "top secret")),
            "SECURITY LABEL FOR selinux ON LARGE OBJECT 16500 IS 'top secret'");
}

TEST(SecurityLabelSteps, LargeObjectsLastAndOfTheirOwnKind) {
  plan::PlanBuilder plan;
  auto object = label("large object", "16500", "secret");
  object.key = "2613:16500";
  plan::add_large_object_security_label_steps(plan, {label("table", "lab.docs", "classified"), object});
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].kind, plan::kLargeObjectSecurityLabelKind);
  EXPECT_EQ(plan.steps[0].section, plan::Section::kLast);
  EXPECT_EQ(plan.steps[0].statements,
            std::vector<std::string>{"SECURITY LABEL FOR selinux ON LARGE OBJECT 16500 IS 'secret'"});
}

TEST(SecurityLabelSteps, DatabaseLabelNamesTheTargetDatabase) {
  plan::ClonePlan plan;
  auto database = label("database", "source_db", "classified");
  database.key = "1262:5";
  plan::add_database_security_label_steps(plan, {database, label("role", "r", "x")}, "\"Target DB\"");
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].section, plan::Section::kLast);
  EXPECT_EQ(plan.steps[0].statements,
            std::vector<std::string>{"SECURITY LABEL FOR selinux ON DATABASE \"Target DB\" IS 'classified'"});
}

TEST(SecurityLabelDdl, TableLabelsNameTheTargetsObjects) {
  auto table = label("table", "lab.docs", "classified");
  auto body = label("table column", "lab.docs.body", "secret");
  body.subid = 2;
  body.name = "body";
  auto left_out = label("table column", "lab.docs.\"Note\"", "secret");
  left_out.subid = 3;
  left_out.name = "Note";
  auto owned = label("sequence", "lab.docs_id_seq", "classified");
  owned.key = "1259:16410";
  owned.name = "id";
  auto created = label("sequence", "lab.ticket", "unclassified");
  created.key = "1259:16420";
  auto existing = label("sequence", "lab.kept", "unclassified");
  existing.key = "1259:16430";
  ddl::TableLabelTarget target;
  target.table_key = "1259:16400";
  target.table_sql = "lab.\"Docs copy\"";
  target.columns = std::vector<std::string>{"id", "body"};
  target.owned_sequences = {{"id", "lab.\"Docs copy_id_seq\""}};
  target.created_sequences = {"lab.ticket"};
  EXPECT_EQ(ddl::table_security_label_statements({table, body, left_out, owned, created, existing}, target),
            (std::vector<std::string>{
                "SECURITY LABEL FOR selinux ON TABLE lab.\"Docs copy\" IS 'classified'",
                "SECURITY LABEL FOR selinux ON COLUMN lab.\"Docs copy\".body IS 'secret'",
                "SECURITY LABEL FOR selinux ON SEQUENCE lab.\"Docs copy_id_seq\" IS 'classified'",
                "SECURITY LABEL FOR selinux ON SEQUENCE lab.ticket IS 'unclassified'",
            }));
}
