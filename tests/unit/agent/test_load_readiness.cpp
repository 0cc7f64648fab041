#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "clone/load_readiness.h"

using namespace pgclone::agent;
using namespace pgclone::agent::clone;

namespace {

plan::Step step(const std::string& id, const std::string& kind, std::vector<std::string> deps = {},
                plan::Section section = plan::Section::kPreData, const std::string& table_id = "") {
  plan::Step s;
  s.id = id;
  s.kind = kind;
  s.depends_on = std::move(deps);
  s.section = section;
  s.table_id = table_id;
  return s;
}

plan::TableTask table(const std::string& id, std::int64_t bytes = 8192) {
  plan::TableTask t;
  t.id = id;
  t.estimated_bytes = bytes;
  return t;
}

std::vector<const plan::Step*> pre_data_of(const plan::ClonePlan& plan) {
  std::vector<const plan::Step*> out;
  for (const plan::Step& s : plan.steps) {
    if (s.section == plan::Section::kPreData) out.push_back(&s);
  }
  return out;
}

}  // namespace

TEST(LoadReadiness, ATableWaitsForItsCreateAndWhatChangesIt) {
  plan::ClonePlan plan;
  plan.steps = {step("schema:s", "schema"),
                step("table:s.a", "table", {"schema:s"}),
                step("table:s.b", "table", {"schema:s"}),
                step("sequence:s.b_id", "sequence", {"schema:s"}),
                step("owned_by:s.b_id", "sequence_owned_by", {"sequence:s.b_id", "table:s.b"}),
                step("comment:s.a", "comment", {"table:s.a"})};
  plan.tables = {table("table:s.a"), table("table:s.b")};
  const auto readiness = load_readiness(plan, pre_data_of(plan));
  EXPECT_EQ(readiness.at("table:s.a"), 6u);  // its comment is the sixth step
  EXPECT_EQ(readiness.at("table:s.b"), 5u);  // the sequence's OWNED BY changes it
}

TEST(LoadReadiness, ViewsAndRoutinesDoNotHoldBackASmallTable) {
  plan::ClonePlan plan;
  plan.steps = {step("table:s.t", "table"), step("function:s.f()", "function", {"table:s.t"}),
                step("view:s.v", "view", {"table:s.t", "function:s.f()"}),
                step("matview:s.m", "matview", {"view:s.v"})};
  plan.tables = {table("table:s.t")};
  EXPECT_EQ(load_readiness(plan, pre_data_of(plan)).at("table:s.t"), 1u);
}

TEST(LoadReadiness, ALargeTableWaitsForItsReaders) {
  // Its load holds the table's exclusive lock for long: a view created after
  // the load began would stall the rest of pre-data behind it.
  plan::ClonePlan plan;
  plan.steps = {step("table:s.big", "table"), step("table:s.small", "table"),
                step("view:s.v", "view", {"table:s.big", "table:s.small"})};
  plan.tables = {table("table:s.big", kShortLoadMaxBytes), table("table:s.small", kShortLoadMaxBytes - 1)};
  const auto readiness = load_readiness(plan, pre_data_of(plan));
  EXPECT_EQ(readiness.at("table:s.big"), 3u);
  EXPECT_EQ(readiness.at("table:s.small"), 2u);
}

TEST(LoadReadiness, WhatTheTablesOwnStepsUseMustExistFirst) {
  // An index expression's function, a trigger's function: the load's
  // transaction runs those steps, so their objects must have committed.
  plan::ClonePlan plan;
  plan.steps = {step("table:s.t", "table"), step("function:s.key(text)", "function"),
                step("function:s.audit()", "function"), step("type:s.late", "type"),
                step("index:s.t_key", "index", {"table:s.t", "function:s.key(text)"}, plan::Section::kTablePost,
                     "table:s.t"),
                step("trigger:s.t.audit", "trigger", {"table:s.t", "function:s.audit()"},
                     plan::Section::kTablePost, "table:s.t")};
  plan.tables = {table("table:s.t")};
  EXPECT_EQ(load_readiness(plan, pre_data_of(plan)).at("table:s.t"), 3u);
}

TEST(LoadReadiness, ATableCreatedBeforeThisRunNeedsNothing) {
  // Not in pre_data (a resumed job's plan, or a table of conflict "skip"
  // whose create does not run): ready at once.
  plan::ClonePlan plan;
  plan.steps = {step("schema:s", "schema")};
  plan.tables = {table("table:s.t")};
  EXPECT_EQ(load_readiness(plan, pre_data_of(plan)).at("table:s.t"), 0u);
}
