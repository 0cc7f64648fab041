#include <gtest/gtest.h>

#include <chrono>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/table_patterns.h"

namespace pgclone::protocol {
namespace {

using Clock = std::chrono::steady_clock;

OptionsError compile_error(const std::vector<std::string>& patterns, const std::string& key = "tables") {
  try {
    TablePatterns compiled(patterns, key);
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError";
  return OptionsError("", "", "");
}

std::string nested(int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); }

TEST(TablePatterns, AnchoredAgainstBareAndQualifiedName) {
  const TablePatterns patterns({"ord.*", R"(sales\.items)", "t[0-9]+"}, "tables");
  EXPECT_TRUE(patterns.matches("sales", "orders"));
  EXPECT_TRUE(patterns.matches("sales", "items"));
  EXPECT_TRUE(patterns.matches("public", "t42"));
  EXPECT_FALSE(patterns.matches("public", "items"));    // qualified pattern, other schema
  EXPECT_FALSE(patterns.matches("public", "t42x"));     // anchored at the end
  EXPECT_FALSE(patterns.matches("public", "xorders"));  // anchored at the start
}

TEST(TablePatterns, AlternationIsAnchoredAsAWhole) {
  const TablePatterns patterns({"items|log"}, "tables");
  EXPECT_TRUE(patterns.matches("s", "log"));
  EXPECT_FALSE(patterns.matches("s", "items_old"));
  EXPECT_FALSE(patterns.matches("s", "catalog"));
}

TEST(TablePatterns, EmptyMatchesNothing) {
  const TablePatterns patterns({}, "exclude_tables");
  EXPECT_TRUE(patterns.empty());
  EXPECT_FALSE(patterns.matches("s", "t"));
}

// Catastrophic for a backtracking engine; RE2 is linear in the text.
TEST(TablePatterns, NestedQuantifiersMatchInLinearTime) {
  const TablePatterns patterns({"(a+)+$", "(a|aa)*c", "(a*)*b", "(x+x+)+y"}, "tables");
  const Clock::time_point start = Clock::now();
  EXPECT_FALSE(patterns.matches("s", std::string(40, 'a') + "!"));
  EXPECT_FALSE(patterns.matches("s", std::string(1 << 20, 'a') + "!"));
  EXPECT_FALSE(patterns.matches("s", std::string(1 << 20, 'x')));
  EXPECT_TRUE(patterns.matches("s", std::string(1 << 20, 'a')));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST(TablePatterns, InvalidPatternNamesKeyAndPosition) {
  const OptionsError e = compile_error({"ok", "(unclosed"}, "exclude_tables");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "exclude_tables");
  EXPECT_EQ(std::string(e.what()).rfind("invalid regular expression in pattern 2 of option \"exclude_tables\": ", 0),
            0u)
      << e.what();
}

// ECMAScript features a linear-time engine cannot have are refused, not ignored.
TEST(TablePatterns, BacktrackingOnlySyntaxIsRefused) {
  EXPECT_EQ(compile_error({"(a)\\1"}).sqlstate, "22023");
  EXPECT_EQ(compile_error({"(?!tmp_).*"}).sqlstate, "22023");
}

TEST(TablePatterns, TooLongPatternIsRefusedBeforeCompiling) {
  EXPECT_NO_THROW(TablePatterns({std::string(kMaxPatternBytes, 'a')}, "tables"));
  const OptionsError e = compile_error({"a", std::string(kMaxPatternBytes + 1, 'a')});
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "tables");
  EXPECT_STREQ(e.what(), "pattern 2 of option \"tables\" is too long");
  EXPECT_EQ(e.detail, "The pattern has 513 bytes; at most 512 are allowed.");
}

TEST(TablePatterns, TooManyPatterns) {
  EXPECT_NO_THROW(TablePatterns(std::vector<std::string>(kMaxPatternsPerKey, "a"), "tables"));
  const OptionsError e = compile_error(std::vector<std::string>(kMaxPatternsPerKey + 1, "a"));
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_STREQ(e.what(), "option \"tables\" has too many patterns");
  EXPECT_EQ(e.detail, "It has 257; at most 256 are allowed.");
}

TEST(TablePatterns, PatternOverTheMemoryBudgetIsTooComplex) {
  const OptionsError e = compile_error({R"(\pL{1000})"});
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_STREQ(e.what(), "option \"tables\" is too complex");
  EXPECT_EQ(e.detail, "Compiled together, its patterns would need more than 8192 kB.");
  EXPECT_FALSE(e.hint.empty());
}

// Each of these fits a budget of its own; 256 of them took 20 s to compile
// and 260 MiB to hold when each pattern had one.
TEST(TablePatterns, ManyPatternsShareOneBudget) {
  std::vector<std::string> patterns;
  for (std::size_t i = 0; i < kMaxPatternsPerKey; ++i) patterns.push_back("t" + std::to_string(i) + R"(_\pL{55})");
  const Clock::time_point start = Clock::now();
  EXPECT_STREQ(compile_error(patterns).what(), "option \"tables\" is too complex");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST(TablePatterns, ManyOrdinaryPatternsFit) {
  std::vector<std::string> patterns;
  for (std::size_t i = 0; i < kMaxPatternsPerKey - 16; ++i) patterns.push_back(R"((?i)sales_\w+_)" + std::to_string(i));
  for (int i = 0; i < 16; ++i) patterns.push_back(R"(\pL+\.t)" + std::to_string(i) + "[0-9]*");
  const TablePatterns compiled(patterns, "tables");
  EXPECT_TRUE(compiled.matches("s", "SALES_eu_239"));
  EXPECT_TRUE(compiled.matches("Ärger", "t1599"));
  EXPECT_FALSE(compiled.matches("s", "sales_eu_240"));
}

// Flags set inside one pattern stay there.
TEST(TablePatterns, FlagsDoNotLeakIntoOtherPatterns) {
  const TablePatterns compiled({"(?i)a", "b"}, "tables");
  EXPECT_TRUE(compiled.matches("s", "A"));
  EXPECT_TRUE(compiled.matches("s", "b"));
  EXPECT_FALSE(compiled.matches("s", "B"));
}

// The deepest nesting that fits the length limit compiles (RE2 keeps its own
// stacks), and quickly.
TEST(TablePatterns, DeepestNestingWithinTheLengthLimit) {
  const std::string pattern = nested((kMaxPatternBytes - 1) / 2);
  ASSERT_LE(pattern.size(), kMaxPatternBytes);
  const TablePatterns patterns({pattern}, "tables");
  EXPECT_TRUE(patterns.matches("s", "a"));
}

// The reproduced attack: std::regex overflowed the backend's stack on these.
TEST(TablePatterns, DeeplyNestedOptionsAreRefusedQuickly) {
  for (int depth : {30000, 2000}) {
    const std::string options = R"({"tables": [")" + nested(depth) + R"("]})";
    ASSERT_LE(options.size(), kMaxOptionsBytes);
    const Clock::time_point start = Clock::now();
    try {
      parse_clone_options(options, CloneScope::kSchema);
      ADD_FAILURE() << "a " << depth << "-deep pattern was accepted";
    } catch (const OptionsError& e) {
      EXPECT_EQ(e.sqlstate, "22023");
      EXPECT_EQ(e.key, "tables");
    }
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500)) << depth;
  }
}

}  // namespace
}  // namespace pgclone::protocol
