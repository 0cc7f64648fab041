#include <gtest/gtest.h>

#include "pg/pg_error.h"
#include "plan/table_filter.h"

namespace pgclone::agent::plan {
namespace {

catalog::RelationEntry table(const std::string& schema, const std::string& name,
                             std::vector<std::pair<std::string, std::string>> ancestors = {}) {
  catalog::RelationEntry r;
  r.schema = schema;
  r.name = name;
  r.ancestors = std::move(ancestors);
  return r;
}

TEST(TableFilter, NoPatternsTakeEveryTable) {
  const TableFilter filter({}, {});
  EXPECT_TRUE(filter.wanted(table("s", "anything")));
}

TEST(TableFilter, CommonPatterns) {
  const TableFilter filter({"^ord.*", R"(sales\.orders)", "t[0-9]+"}, {});
  EXPECT_TRUE(filter.wanted(table("public", "orders")));
  EXPECT_TRUE(filter.wanted(table("public", "ord")));
  EXPECT_TRUE(filter.wanted(table("sales", "orders")));
  EXPECT_TRUE(filter.wanted(table("x", "t1")));
  EXPECT_TRUE(filter.wanted(table("x", "t2024")));
  EXPECT_FALSE(filter.wanted(table("x", "t")));
  EXPECT_FALSE(filter.wanted(table("x", "t1_old")));
  EXPECT_FALSE(filter.wanted(table("x", "my_orders")));
  EXPECT_FALSE(filter.wanted(table("crm", "customers")));
}

TEST(TableFilter, QualifiedPatternOnlyMatchesItsSchema) {
  const TableFilter filter({R"(sales\.orders)"}, {});
  EXPECT_TRUE(filter.wanted(table("sales", "orders")));
  EXPECT_FALSE(filter.wanted(table("crm", "orders")));
}

TEST(TableFilter, ExcludeWins) {
  const TableFilter filter({"items|log|tags"}, {"log", R"(s\.tags)"});
  EXPECT_TRUE(filter.wanted(table("s", "items")));
  EXPECT_FALSE(filter.wanted(table("s", "log")));
  EXPECT_FALSE(filter.wanted(table("s", "tags")));
  EXPECT_TRUE(filter.wanted(table("t", "tags")));
}

TEST(TableFilter, PartitionsFollowTheirTree) {
  const TableFilter filter({"events"}, {"events_2019"});
  const auto partition = [](const std::string& name) {
    return table("s", name, {{"s", "events"}, {"s", "events_" + name.substr(7, 4)}});
  };
  EXPECT_TRUE(filter.wanted(table("s", "events_2024_01", {{"s", "events"}})));
  EXPECT_TRUE(filter.wanted(partition("events_2020_q1")));
  EXPECT_FALSE(filter.wanted(partition("events_2019_q1")));  // excluded through its parent
  EXPECT_FALSE(filter.wanted(table("s", "events_2019")));
}

TEST(TableFilter, InvalidPatternIsAPgErrorNamingTheKey) {
  try {
    TableFilter filter({"ok"}, {"(unclosed"});
    FAIL() << "expected a PgError";
  } catch (const pg::PgError& e) {
    EXPECT_EQ(e.sqlstate, "22023");
    EXPECT_NE(std::string(e.what()).find("\"exclude_tables\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pgclone::agent::plan
