#include <gtest/gtest.h>

#include <string>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/verify_options.h"

namespace pgclone::protocol {
namespace {

OptionsError parse_error(std::string_view json) {
  try {
    parse_verify_options(json);
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError for " << json;
  return OptionsError("", "", "");
}

TEST(VerifyOptions, EmptyMeansDefaults) {
  for (const char* text : {"", "  \n", "{}"}) {
    const VerifyOptions options = parse_verify_options(text);
    EXPECT_EQ(options.mode, VerifyMode::kChecksum);
    EXPECT_TRUE(options.tables.empty());
    EXPECT_TRUE(options.exclude_tables.empty());
    EXPECT_TRUE(options.columns_excluded.empty());
    EXPECT_EQ(options.detail, 0);
    EXPECT_EQ(options.parallel, 0);
  }
}

TEST(VerifyOptions, ReadsEveryKey) {
  const VerifyOptions options = parse_verify_options(
      R"({"mode": "count", "tables": ["a.*"], "exclude_tables": ["s\\.b"], "parallel": 3,
          "columns_excluded": {"people": ["email", "phone"], "crm.people": ["ssn"]}})");
  EXPECT_EQ(options.mode, VerifyMode::kCount);
  EXPECT_EQ(options.tables, std::vector<std::string>{"a.*"});
  EXPECT_EQ(options.exclude_tables, std::vector<std::string>{"s\\.b"});
  EXPECT_EQ(options.parallel, 3);
  EXPECT_EQ(options.excluded_columns_of("crm", "people"), (std::vector<std::string>{"email", "phone", "ssn"}));
  EXPECT_EQ(options.excluded_columns_of("sales", "people"), (std::vector<std::string>{"email", "phone"}));
  EXPECT_TRUE(options.excluded_columns_of("crm", "orders").empty());
}

TEST(VerifyOptions, DetailIsTrueFalseOrANumber) {
  EXPECT_EQ(parse_verify_options(R"({"detail": true})").detail, kDefaultDetailKeys);
  EXPECT_EQ(kDefaultDetailKeys, 10);
  EXPECT_EQ(parse_verify_options(R"({"detail": false})").detail, 0);
  EXPECT_EQ(parse_verify_options(R"({"detail": 3})").detail, 3);
  EXPECT_EQ(parse_verify_options(R"({"detail": 1000})").detail, 1000);
  for (const char* text : {R"({"detail": 0})", R"({"detail": -1})", R"({"detail": 1001})", R"({"detail": "yes"})",
                           R"({"detail": 2.5})", R"({"detail": null})"}) {
    const OptionsError e = parse_error(text);
    EXPECT_EQ(e.sqlstate, "22023") << text;
    EXPECT_EQ(e.key, "detail") << text;
  }
}

TEST(VerifyOptions, DetailNeedsChecksums) {
  const OptionsError e = parse_error(R"({"mode": "count", "detail": true})");
  EXPECT_EQ(e.key, "detail");
  EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos);
}

TEST(VerifyOptions, UnknownKeysAndWrongTypesNameTheKey) {
  struct Case {
    const char* text;
    const char* key;
  };
  for (const Case& c : {Case{R"({"mode": "fast"})", "mode"}, Case{R"({"mode": 1})", "mode"},
                        Case{R"({"tabels": []})", "tabels"}, Case{R"({"tables": "a"})", "tables"},
                        Case{R"({"tables": [1]})", "tables"}, Case{R"({"exclude_tables": ["("]})", "exclude_tables"},
                        Case{R"({"parallel": 0})", "parallel"}, Case{R"({"parallel": "2"})", "parallel"},
                        Case{R"({"parallel": 65})", "parallel"},
                        Case{R"({"columns_excluded": ["a"]})", "columns_excluded"},
                        Case{R"({"columns_excluded": {"t": "a"}})", "columns_excluded"},
                        Case{R"({"columns_excluded": {"t": [1]}})", "columns_excluded"},
                        Case{R"({"columns_excluded": {"": ["a"]}})", "columns_excluded"},
                        Case{R"({"columns_excluded": {"s.": ["a"]}})", "columns_excluded"},
                        Case{R"({"columns_excluded": {"t": [""]}})", "columns_excluded"},
                        Case{R"({"indexes": true})", "indexes"}, Case{R"({"where": "x"})", "where"}}) {
    const OptionsError e = parse_error(c.text);
    EXPECT_EQ(e.sqlstate, "22023") << c.text;
    EXPECT_EQ(e.key, c.key) << c.text;
    EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << c.text << ": " << e.what();
  }
}

TEST(VerifyOptions, MalformedJsonAndBounds) {
  for (const char* text : {"{", "[]", "\"mode\"", "{\"mode\": \"count\",}"}) {
    const OptionsError e = parse_error(text);
    EXPECT_EQ(e.sqlstate, "22023") << text;
    EXPECT_EQ(e.key, "") << text;
  }
  EXPECT_EQ(parse_error(std::string(kMaxOptionsBytes + 1, ' ')).key, "");
  std::string deep(kMaxOptionsDepth + 1, '[');
  EXPECT_EQ(parse_error("{\"tables\": " + deep + "}").sqlstate, "22023");
  const std::string long_name(kMaxIdentifierBytes + 1, 'c');
  EXPECT_EQ(parse_error(R"({"columns_excluded": {"t": [")" + long_name + R"("]}})").key, "columns_excluded");
}

}  // namespace
}  // namespace pgclone::protocol
