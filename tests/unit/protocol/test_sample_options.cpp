#include <gtest/gtest.h>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/sample_options.h"

namespace pgclone::protocol {
namespace {

OptionsError sample_error(std::string_view json) {
  try {
    parse_clone_options(json, CloneScope::kSample);
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError for " << json;
  return OptionsError("", "", "");
}

TEST(SampleOptions, OneValueForEveryTable) {
  const CloneOptions o = parse_clone_options(R"({"rows": 100, "seed": 42})", CloneScope::kSample);
  EXPECT_EQ(o.sample.every_table.rows, 100);
  EXPECT_EQ(o.sample.seed, 42);
  EXPECT_EQ(o.sample.children_limit, 0);
  EXPECT_EQ(o.sample.start_for("s", "t").rows, 100);
  const CloneOptions p = parse_clone_options(R"({"percent": 2.5})", CloneScope::kSample);
  EXPECT_DOUBLE_EQ(*p.sample.start_for("s", "t").percent, 2.5);
}

TEST(SampleOptions, PerTableEntriesOverrideTheDefaultQualifiedLast) {
  const CloneOptions o = parse_clone_options(
      R"({"rows": 10, "percent": {"orders": 5}, "where": {"s.orders": "id > 3"}})", CloneScope::kSample);
  const StartRows orders = o.sample.start_for("s", "orders");
  EXPECT_FALSE(orders.rows.has_value());  // percent replaces the default rows
  EXPECT_DOUBLE_EQ(*orders.percent, 5);
  EXPECT_EQ(*orders.where, "id > 3");
  EXPECT_FALSE(o.sample.start_for("other", "orders").where.has_value());
  EXPECT_EQ(o.sample.start_for("s", "client").rows, 10);
}

TEST(SampleOptions, IncludeChildren) {
  EXPECT_EQ(parse_clone_options(R"({"rows": 1, "include_children": true})", CloneScope::kSample).sample.children_limit,
            kDefaultChildrenLimit);
  EXPECT_EQ(parse_clone_options(R"({"rows": 1, "include_children": 7})", CloneScope::kSample).sample.children_limit, 7);
  EXPECT_EQ(parse_clone_options(R"({"rows": 1, "include_children": false})", CloneScope::kSample).sample.children_limit,
            0);
  EXPECT_EQ(sample_error(R"({"rows": 1, "include_children": -1})").key, "include_children");
  EXPECT_EQ(sample_error(R"({"rows": 1, "include_children": "yes"})").key, "include_children");
}

TEST(SampleOptions, Method) {
  EXPECT_EQ(parse_clone_options(R"({"percent": 1})", CloneScope::kSample).sample.method, "BERNOULLI");
  EXPECT_EQ(parse_clone_options(R"({"percent": 1, "method": "system"})", CloneScope::kSample).sample.method,
            "SYSTEM");
  EXPECT_EQ(parse_clone_options(R"({"percent": 1, "method": "bernoulli"})", CloneScope::kSample).sample.method,
            "BERNOULLI");
  EXPECT_EQ(sample_error(R"({"percent": 1, "method": "SYSTEM; DROP TABLE t"})").key, "method");
  EXPECT_EQ(sample_error(R"({"percent": 1, "method": 1})").key, "method");
}

TEST(SampleOptions, BadValuesNameTheirKey) {
  EXPECT_EQ(sample_error(R"({"rows": -1})").key, "rows");
  EXPECT_EQ(sample_error(R"({"rows": 1.5})").key, "rows");
  EXPECT_EQ(sample_error(R"({"rows": "10"})").key, "rows");
  EXPECT_EQ(sample_error(R"({"percent": 0})").key, "percent");
  EXPECT_EQ(sample_error(R"({"percent": 100.5})").key, "percent");
  EXPECT_EQ(sample_error(R"({"percent": {"t": -3}})").key, "percent.t");
  EXPECT_EQ(sample_error(R"({"where": ""})").key, "where");
  EXPECT_EQ(sample_error(R"({"where": {"t": 1}})").key, "where.t");
  EXPECT_EQ(sample_error(R"({"rows": 1, "seed": "x"})").key, "seed");
  EXPECT_EQ(sample_error(R"({"rows": 1, "sed": 1})").key, "sed");
  EXPECT_EQ(sample_error(R"({"rows": {"": 1}})").key, "rows");
}

TEST(SampleOptions, NeedsStartingRowsAndOneWayOfCountingThem) {
  EXPECT_EQ(sample_error("{}").key, "rows");
  EXPECT_EQ(sample_error(R"({"seed": 1})").key, "rows");
  EXPECT_EQ(sample_error(R"({"rows": {}})").key, "rows");
  EXPECT_EQ(sample_error(R"({"rows": 1, "percent": 2})").key, "percent");
  EXPECT_EQ(sample_error(R"({"rows": {"t": 1}, "percent": {"t": 2}})").key, "percent");
  // Rows for one table and percent for another is fine.
  EXPECT_NO_THROW(parse_clone_options(R"({"rows": {"a": 1}, "percent": {"b": 2}})", CloneScope::kSample));
}

TEST(SampleOptions, CloneKeysThatCannotApply) {
  EXPECT_EQ(sample_error(R"({"rows": 1, "consistent": false})").key, "consistent");
  EXPECT_EQ(sample_error(R"({"rows": 1, "mask": {}})").key, "mask");
  EXPECT_EQ(sample_error(R"({"rows": 1, "columns": ["a"]})").key, "columns");
  EXPECT_NO_THROW(parse_clone_options(R"({"rows": 1, "masks": {"t": {"c": "null"}}, "conflict": "replace",
                                          "parallel": 2, "tables": ["a.*"]})",
                                      CloneScope::kSample));
  // The sampling keys mean nothing to the other clones.
  for (CloneScope scope : {CloneScope::kSchema, CloneScope::kDatabase}) {
    for (const char* text : {R"({"rows": 1})", R"({"seed": 1})", R"({"include_children": true})",
                             R"({"percent": 1})"}) {
      EXPECT_THROW(parse_clone_options(text, scope), OptionsError) << text;
    }
  }
}

TEST(SampleOptions, RowsArgumentMergedIntoTheOptions) {
  EXPECT_EQ(options_with_rows("", 5), R"({"rows":5})");
  EXPECT_EQ(parse_clone_options(options_with_rows(R"({"seed": 3})", 5), CloneScope::kSample).sample.every_table.rows,
            5);
  EXPECT_THROW(options_with_rows(R"({"rows": 3})", 5), OptionsError);
  // Text the parser must refuse is handed on unchanged, for it to name the fault.
  EXPECT_EQ(options_with_rows("[1", 5), "[1");
  EXPECT_EQ(options_with_rows("[1]", 5), "[1]");
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(options_with_rows(deep, 5), deep);
}

}  // namespace
}  // namespace pgclone::protocol
