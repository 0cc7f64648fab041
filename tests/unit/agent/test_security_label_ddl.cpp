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
