// "owner": "source" as plan steps: ALTER ... OWNER TO after the object's own
// step, for objects the plan creates; large objects one step each.
#include <gtest/gtest.h>

#include "plan/database_object_steps.h"
#include "plan/owner_steps.h"

using namespace pgclone::agent;

namespace {

plan::PlanBuilder with_step(const std::string& key, const std::string& id) {
  plan::PlanBuilder builder;
  plan::Step step;
  step.id = id;
  step.kind = "function";
  builder.add(std::move(step));
  builder.map_key(key, id);
  return builder;
}

}  // namespace

TEST(OwnerSteps, AggregateOfNoArgumentsIsNamedWithAStar) {
  plan::PlanBuilder builder = with_step("1255:1", "function:s.cnt()");
  plan::add_owner_steps(builder, {{"1255:1", "AGGREGATE", "s", "cnt", "", "alice"}}, plan::Section::kPostData);
  ASSERT_EQ(builder.steps.size(), 2u);
  EXPECT_EQ(builder.steps[1].statements, std::vector<std::string>{"ALTER AGGREGATE s.cnt(*) OWNER TO alice"});
  EXPECT_EQ(builder.steps[1].depends_on, std::vector<std::string>{"function:s.cnt()"});
  EXPECT_EQ(builder.owners.count("alice"), 1u);
}

TEST(OwnerSteps, RoutinesKeepTheirArgumentsAndObjectsNotCreatedGetNoStep) {
  plan::PlanBuilder builder = with_step("1255:2", "function:s.f(integer)");
  plan::add_owner_steps(builder,
                        {{"1255:2", "FUNCTION", "s", "f", "x integer", "Bob"},
                         {"1259:3", "TABLE", "s", "not_cloned", "", "carol"}},
                        plan::Section::kPostData);
  ASSERT_EQ(builder.steps.size(), 2u);
  EXPECT_EQ(builder.steps[1].statements, std::vector<std::string>{"ALTER FUNCTION s.f(x integer) OWNER TO \"Bob\""});
  EXPECT_EQ(builder.owners.count("carol"), 0u);
}

TEST(OwnerSteps, LargeObjectOwnerComesBeforeItsPrivilegesWhichNameThatOwner) {
  plan::PlanBuilder builder;
  plan::add_large_object_owner_steps(builder, {{"2613:42", "LARGE OBJECT", "", "42", "", "alice"}});
  catalog::PrivilegeEntry acl;
  acl.key = "2613:42";
  acl.kind = "large_object";
  acl.name = "42";
  acl.owner = "alice";
  acl.acl = {"alice=rw/alice", "bob=r/alice"};
  plan::add_large_object_privilege_steps(builder, {acl});
  ASSERT_EQ(builder.steps.size(), 2u);
  EXPECT_EQ(builder.steps[0].kind, plan::kLargeObjectOwnerKind);
  EXPECT_EQ(builder.steps[0].statements, std::vector<std::string>{"ALTER LARGE OBJECT 42 OWNER TO alice"});
  EXPECT_EQ(builder.steps[1].depends_on, std::vector<std::string>{builder.steps[0].id});
  EXPECT_EQ(builder.steps[1].statements, std::vector<std::string>{"GRANT SELECT ON LARGE OBJECT 42 TO bob"});
}
