#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "plan/dependency_order.h"

using namespace pgclone::agent::plan;

namespace {

Step step(const std::string& id, const std::string& kind, std::vector<std::string> deps = {}) {
  Step s;
  s.id = id;
  s.kind = kind;
  s.depends_on = std::move(deps);
  return s;
}

std::vector<std::string> ids(const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(s.id);
  return out;
}

}  // namespace

TEST(OrderSteps, DependenciesFirstThenKindThenId) {
  std::vector<Step> steps = {
      step("view:s.v", "view", {"table:s.b", "function:s.f()"}),
      step("table:s.b", "table", {"schema:s"}),
      step("table:s.a", "table", {"schema:s", "type:s.t"}),
      step("function:s.f()", "function", {"schema:s"}),
      step("type:s.t", "type", {"schema:s"}),
      step("schema:s", "schema"),
  };
  EXPECT_EQ(ids(order_steps(steps)),
            (std::vector<std::string>{"schema:s", "type:s.t", "function:s.f()", "table:s.a", "table:s.b", "view:s.v"}));
}

TEST(OrderSteps, DependencyOverridesKindPriority) {
  // A function whose SQL body reads a table comes after it.
  std::vector<Step> steps = {step("function:s.count_rows()", "function", {"table:s.t"}), step("table:s.t", "table"),
                             step("type:s.z", "type")};
  EXPECT_EQ(ids(order_steps(steps)), (std::vector<std::string>{"type:s.z", "table:s.t", "function:s.count_rows()"}));
}

TEST(OrderSteps, UnknownAndDuplicateDependenciesAreDropped) {
  std::vector<Step> steps = {step("fk:s.t.f", "fk", {"table:s.t", "table:other.gone", "table:s.t", "fk:s.t.f"}),
                             step("table:s.t", "table")};
  auto out = order_steps(steps);
  ASSERT_EQ(ids(out), (std::vector<std::string>{"table:s.t", "fk:s.t.f"}));
  EXPECT_EQ(out[1].depends_on, (std::vector<std::string>{"table:s.t"}));
}

TEST(OrderSteps, SameResultWhateverTheInputOrder) {
  std::vector<Step> steps;
  for (int i = 0; i < 30; ++i) {
    std::vector<std::string> deps;
    if (i >= 3) deps = {"table:t" + std::to_string(i % 3), "table:t" + std::to_string(i / 2)};
    steps.push_back(step("table:t" + std::to_string(i), i % 4 == 0 ? "view" : "table", deps));
  }
  auto expected = ids(order_steps(steps));
  std::mt19937 rng(42);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(steps.begin(), steps.end(), rng);
    EXPECT_EQ(ids(order_steps(steps)), expected);
  }
}

TEST(OrderSteps, CycleIsAnErrorNamingItsSteps) {
  std::vector<Step> steps = {step("schema:s", "schema"), step("view:s.a", "view", {"schema:s", "function:s.f()"}),
                             step("function:s.f()", "function", {"view:s.b"}), step("view:s.b", "view", {"view:s.a"}),
                             step("table:s.t", "table", {"view:s.a"})};
  try {
    order_steps(steps);
    FAIL() << "no error";
  } catch (const std::logic_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("cycle"), std::string::npos) << what;
    for (const char* id : {"view:s.a", "view:s.b", "function:s.f()"})
      EXPECT_NE(what.find(id), std::string::npos) << what;
    EXPECT_EQ(what.find("schema:s"), std::string::npos) << what;
  }
}

TEST(OrderSteps, DuplicateIdIsAnError) {
  EXPECT_THROW(order_steps({step("table:s.t", "table"), step("table:s.t", "table")}), std::logic_error);
}

TEST(OrderSteps, KindPriorityPutsPostDataKindsLast) {
  EXPECT_LT(kind_priority("schema"), kind_priority("extension"));
  EXPECT_LT(kind_priority("type"), kind_priority("function"));
  EXPECT_LT(kind_priority("table"), kind_priority("view"));
  EXPECT_LT(kind_priority("index"), kind_priority("fk"));
  EXPECT_LT(kind_priority("fk"), kind_priority("matview_refresh"));
  EXPECT_LT(kind_priority("matview_refresh"), kind_priority("something new"));
}

#include "plan/section_check.h"

TEST(SectionCheck, ObjectsNeedingLaterStepsMoveToPostData) {
  auto with = [](Step s, Section section, std::string table_id = "") {
    s.section = section;
    s.table_id = std::move(table_id);
    return s;
  };
  std::vector<Step> steps = order_steps({
      with(step("table:s.c", "table"), Section::kPreData),
      with(step("constraint:s.c.c_pkey", "constraint", {"table:s.c"}), Section::kTablePost, "table:s.c"),
      // GROUP BY the key: the view needs the PRIMARY KEY, which comes after the data.
      with(step("view:s.names", "view", {"table:s.c", "constraint:s.c.c_pkey"}), Section::kPreData),
      with(step("view:s.names2", "view", {"view:s.names"}), Section::kPreData),
      with(step("view:s.other", "view", {"table:s.c"}), Section::kPreData),
      with(step("table:s.d", "table"), Section::kPreData),
      // an after-data step of one table needing another table's after-data step
      with(step("policy:s.d.p", "policy", {"table:s.d", "constraint:s.c.c_pkey"}), Section::kTablePost, "table:s.d"),
      with(step("table:s.e", "table", {"view:s.names"}), Section::kPreData),
  });
  std::vector<std::string> notices;
  move_late_dependents(steps, notices);
  auto section_of = [&](const std::string& id) {
    for (const auto& s : steps)
      if (s.id == id) return s.section;
    return Section::kPreData;
  };
  EXPECT_EQ(section_of("view:s.names"), Section::kPostData);
  EXPECT_EQ(section_of("view:s.names2"), Section::kPostData);
  EXPECT_EQ(section_of("view:s.other"), Section::kPreData);
  EXPECT_EQ(section_of("policy:s.d.p"), Section::kPostData);
  EXPECT_EQ(section_of("table:s.e"), Section::kPreData);  // tables cannot move: reported
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("table:s.e"), std::string::npos) << notices[0];
}
