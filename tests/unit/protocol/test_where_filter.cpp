#include <gtest/gtest.h>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/where_filter.h"

namespace pgclone::protocol {
namespace {

// The message check_where_filter refuses the text with; "" when it accepts it.
std::string refusal(std::string_view where) {
  try {
    check_where_filter(where);
    return "";
  } catch (const OptionsError& e) {
    EXPECT_EQ(e.sqlstate, "22023");
    EXPECT_EQ(e.key, "where");
    return e.what();
  }
}

TEST(WhereFilter, AcceptsFilterExpressions) {
  for (const char* where : {"status = 'active'", "created_at IS NOT NULL", "a > 1 AND (b < 2 OR c IN (1, 2))",
                            "note = 'it''s; -- not a comment /* nor this */ (('", "\"Drop\" = 1", "\"a;b\" = 'x'",
                            "body = $$DROP TABLE t; --$$", "body = $q$ ) $ $q$", "e = E'a\\'b; )'",
                            "dropped_at IS NULL", "update_count > 0", "x = U&'\\0041'", "price > 1e5", "1=1",
                            "name ~ '^[a-z]+$'", "data->>'k' = 'v'"})
    EXPECT_EQ(refusal(where), "") << where;
}

TEST(WhereFilter, RefusesSemicolonsWithTheEstablishedWording) {
  EXPECT_EQ(refusal("1=1; DROP TABLE customers; --"), "pgclone: WHERE clause must not contain semicolons");
}

TEST(WhereFilter, RefusesStatementKeywordsWithTheEstablishedWording) {
  EXPECT_EQ(refusal("1=1 OR DROP TABLE customers"), "pgclone: WHERE clause contains forbidden keyword: DROP");
  EXPECT_EQ(refusal("1=1 OR insert INTO customers VALUES(999)"),
            "pgclone: WHERE clause contains forbidden keyword: INSERT");
  EXPECT_EQ(refusal("x IN (SELECT 1) OR do"), "pgclone: WHERE clause contains forbidden keyword: DO");
}

// The ways out of "WHERE (<text>)": closing the parenthesis, or commenting out
// the rest of the statement (found turning the COPY into a file write).
TEST(WhereFilter, RefusesWhatCouldEndTheExpression) {
  EXPECT_EQ(refusal("true)) TO '/tmp/x' --"), "pgclone: WHERE clause has unbalanced parentheses");
  EXPECT_EQ(refusal("true --"), "pgclone: WHERE clause must not contain comments");
  EXPECT_EQ(refusal("true /* x */"), "pgclone: WHERE clause must not contain comments");
  EXPECT_EQ(refusal("(true"), "pgclone: WHERE clause has unbalanced parentheses");
  EXPECT_EQ(refusal(") OR (true"), "pgclone: WHERE clause has unbalanced parentheses");
}

// A literal the server would end elsewhere than the check thinks would hide
// what follows it: unterminated ones are refused, E'' escapes are followed.
TEST(WhereFilter, FollowsLiteralsAsTheServerDoes) {
  EXPECT_EQ(refusal("a = 'open"), "pgclone: WHERE clause has an unterminated string constant");
  EXPECT_EQ(refusal("a = E'\\') TO ''/tmp/x'' --'"), "");  // one literal, as the server reads it
  EXPECT_EQ(refusal("a = E'x\\' OR true"), "pgclone: WHERE clause has an unterminated string constant");
  EXPECT_EQ(refusal("a = 'x\\' ) --"), "pgclone: WHERE clause has unbalanced parentheses");
  EXPECT_EQ(refusal("\"open = 1"), "pgclone: WHERE clause has an unterminated quoted identifier");
  EXPECT_EQ(refusal("a = $t$ ) "), "pgclone: WHERE clause has an unterminated dollar-quoted string");
  EXPECT_EQ(refusal("a$b = 1 OR ($1 = 2)"), "");
}

TEST(WhereFilter, CheckedWhenOptionsAreParsed) {
  try {
    parse_clone_options(R"({"where": "true)) TO '/tmp/x' --"})", CloneScope::kTable);
    FAIL() << "accepted";
  } catch (const OptionsError& e) {
    EXPECT_EQ(e.key, "where");
    EXPECT_EQ(std::string(e.what()), "pgclone: WHERE clause has unbalanced parentheses");
  }
}

}  // namespace
}  // namespace pgclone::protocol
