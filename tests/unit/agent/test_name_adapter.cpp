#include <gtest/gtest.h>

#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"

using namespace pgclone::agent::ddl;

namespace {
std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

TEST(QuoteIdent, MatchesPostgresQuoteIdentifier) {
  EXPECT_EQ(quote_ident("abc"), "abc");
  EXPECT_EQ(quote_ident("_x1"), "_x1");
  EXPECT_EQ(quote_ident("Abc"), "\"Abc\"");
  EXPECT_EQ(quote_ident("1abc"), "\"1abc\"");
  EXPECT_EQ(quote_ident("a b"), "\"a b\"");
  EXPECT_EQ(quote_ident(""), "\"\"");
  EXPECT_EQ(quote_ident("Weird \"Name\""), "\"Weird \"\"Name\"\"\"");
  EXPECT_EQ(quote_ident("Ünïcode Schema"), "\"Ünïcode Schema\"");
  EXPECT_EQ(quote_ident("ü"), "\"ü\"");
}

TEST(QuoteIdent, QuotesOnlyKeywordsThatAreNotUnreserved) {
  EXPECT_EQ(quote_ident("select"), "\"select\"");    // reserved
  EXPECT_EQ(quote_ident("user"), "\"user\"");        // reserved
  EXPECT_EQ(quote_ident("end"), "\"end\"");          // reserved
  EXPECT_EQ(quote_ident("between"), "\"between\"");  // col_name keyword
  EXPECT_EQ(quote_ident("left"), "\"left\"");        // type_func_name keyword
  EXPECT_EQ(quote_ident("name"), "name");            // unreserved
  EXPECT_EQ(quote_ident("abort"), "abort");          // unreserved
  EXPECT_EQ(quote_ident("text"), "text");            // not a keyword
  EXPECT_EQ(qualified_name("public", "order"), "public.\"order\"");
}

TEST(QuoteLiteral, DoublesQuotesAndUsesEStringForBackslashes) {
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_literal("a\\b'"), "E'a\\\\b'''");
  EXPECT_EQ(deparsed_literal("a\\b'"), "'a\\b'''");
}

TEST(TruncateIdentifier, KeepsShortNamesAndCutsAt63Bytes) {
  EXPECT_EQ(truncate_identifier("short"), "short");
  EXPECT_EQ(truncate_identifier(repeat("a", 70)), repeat("a", 63));
  EXPECT_EQ(truncate_identifier(repeat("a", 63)), repeat("a", 63));
}

TEST(TruncateIdentifier, NeverSplitsAUtf8Character) {
  // "Ω" is 2 bytes: 40 of them = 80 bytes; 63 bytes would split the 32nd.
  EXPECT_EQ(truncate_identifier(repeat("Ω", 40)), repeat("Ω", 31));
  // "€" is 3 bytes: after "a" the boundaries are 1, 4, 7, ... 61, 64.
  EXPECT_EQ(truncate_identifier("a" + repeat("€", 30)), "a" + repeat("€", 20));
  // 4-byte character straddling the limit.
  EXPECT_EQ(truncate_identifier(repeat("b", 61) + "😀"), repeat("b", 61));
  EXPECT_EQ(truncate_identifier(repeat("b", 59) + "😀x"), repeat("b", 59) + "😀");
}

TEST(AdaptName, ReplacesTheTablePrefixAtAWordBoundary) {
  EXPECT_EQ(adapt_name("t_pkey", "t", "t2"), "t2_pkey");
  EXPECT_EQ(adapt_name("orders_id_seq", "orders", "orders_copy"), "orders_copy_id_seq");
  EXPECT_EQ(adapt_name("t", "t", "t2"), "t2");
  EXPECT_EQ(adapt_name("Weird \"Name\"_pkey", "Weird \"Name\"", "Clone Ünï"), "Clone Ünï_pkey");
}

TEST(AdaptName, PrefixesOtherNamesWithTheTargetTable) {
  EXPECT_EQ(adapt_name("my_idx", "t", "t2"), "t2_my_idx");
  EXPECT_EQ(adapt_name("tags_idx", "t", "t2"), "t2_tags_idx");  // "t" is not a whole prefix word here
  EXPECT_EQ(adapt_name("T_idx", "t", "t2"), "t2_T_idx");        // case matters, as in PostgreSQL
}

TEST(AdaptName, TruncatesTheResult) {
  std::string target = repeat("Ω", 31);  // 62 bytes
  EXPECT_EQ(adapt_name("t_pkey", "t", target), target + "_");
  EXPECT_EQ(adapt_name("some_index", "t", repeat("x", 60)), repeat("x", 60) + "_so");
}

TEST(MakeUniqueName, AddsNumbersLikeChooseRelationName) {
  EXPECT_EQ(make_unique_name("t2_pkey", {}), "t2_pkey");
  EXPECT_EQ(make_unique_name("t2_pkey", {"t2_pkey"}), "t2_pkey1");
  EXPECT_EQ(make_unique_name("t2_pkey", {"t2_pkey", "t2_pkey1", "t2_pkey2"}), "t2_pkey3");
}

TEST(MakeUniqueName, TruncatesTheBaseToMakeRoomForTheNumber) {
  std::string base = repeat("a", 63);
  EXPECT_EQ(make_unique_name(base, {base}), repeat("a", 62) + "1");
  std::set<std::string> taken = {base};
  for (int i = 1; i <= 9; ++i) taken.insert(repeat("a", 62) + std::to_string(i));
  EXPECT_EQ(make_unique_name(base, taken), repeat("a", 61) + "10");
  std::string omegas = repeat("Ω", 31) + "_";  // 63 bytes
  EXPECT_EQ(make_unique_name(omegas, {omegas}), repeat("Ω", 31) + "1");
  EXPECT_EQ(make_unique_name(omegas, {omegas, repeat("Ω", 31) + "1"}), repeat("Ω", 31) + "2");
}
