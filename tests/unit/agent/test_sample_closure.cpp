#include <gtest/gtest.h>

#include "sample/table_closure.h"

namespace pgclone::agent::sample {
namespace {

catalog::ForeignKeyGraph graph_of(std::initializer_list<std::pair<const char*, const char*>> edges) {
  catalog::ForeignKeyGraph g;
  const auto table = [&g](const std::string& oid) {
    if (g.relations.count(oid)) return;
    catalog::SampledRelation r;
    r.oid = oid;
    r.schema = "s";
    r.name = "t" + oid;
    r.root_oid = oid;
    r.ancestors = {oid};
    g.relations.emplace(oid, r);
  };
  for (const auto& [child, parent] : edges) {
    table(child);
    table(parent);
    g.edges.push_back({child, parent, {"a"}, {"b"}, {"integer"}, {"integer"}});
  }
  return g;
}

TEST(SampleClosure, FollowsReferencesTransitivelyAndEndsOnCycles) {
  // 1 -> 2 -> 3 -> 2 (cycle), 4 -> 1 (references the start), 5 -> 5 (self)
  const auto g = graph_of({{"1", "2"}, {"2", "3"}, {"3", "2"}, {"4", "1"}, {"5", "5"}});
  EXPECT_EQ(reached_tables(g, {"1"}, false), (std::set<std::string>{"1", "2", "3"}));
  EXPECT_EQ(reached_tables(g, {"5"}, false), (std::set<std::string>{"5"}));
}

TEST(SampleClosure, ChildrenOnlyDownFromTheStart) {
  // 4 -> 1 -> 2, and 6 -> 2: with children, 4 comes (it references the
  // start), 6 does not (it references 2, which only came as referenced).
  const auto g = graph_of({{"1", "2"}, {"4", "1"}, {"6", "2"}, {"7", "4"}});
  EXPECT_EQ(reached_tables(g, {"1"}, true), (std::set<std::string>{"1", "2", "4", "7"}));
}

TEST(SampleClosure, PartitionsFollowTheirTreesForeignKeys) {
  catalog::ForeignKeyGraph g = graph_of({{"10", "20"}});  // a partitioned 10 references 20
  catalog::SampledRelation leaf;
  leaf.oid = "11";
  leaf.root_oid = "10";
  leaf.ancestors = {"11", "10"};
  g.relations.emplace("11", leaf);
  EXPECT_TRUE(g.holds_rows_of("11", "10"));
  EXPECT_FALSE(g.holds_rows_of("10", "11"));
  EXPECT_EQ(reached_tables(g, {"11"}, false), (std::set<std::string>{"11", "20"}));
  EXPECT_EQ(tree_roots(g, {"11", "20"}), (std::set<std::string>{"10", "20"}));
}

}  // namespace
}  // namespace pgclone::agent::sample
