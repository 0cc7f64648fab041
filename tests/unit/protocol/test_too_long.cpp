#include <gtest/gtest.h>

#include "pgclone/protocol/too_long.h"

namespace pgclone::protocol {
namespace {

TEST(Limits, IdentifierOfNamedatalenMinusOneFits) {
  EXPECT_FALSE(identifier_too_long(std::string(63, 'x'), "schema name").has_value());
  EXPECT_FALSE(identifier_too_long("", "schema name").has_value());
}

TEST(Limits, LongerIdentifierIsNameTooLong) {
  const std::optional<ErrorInfo> error = identifier_too_long(std::string(64, 'x'), "schema name");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->sqlstate, "42622");
  EXPECT_EQ(error->message, "schema name is too long");
  EXPECT_EQ(error->detail, "The schema name has 64 bytes; at most 63 are allowed.");
}

// PostgreSQL's limit is in bytes: 32 two-byte letters are one too many.
TEST(Limits, IdentifierLengthCountsBytes) {
  std::string name;
  for (int i = 0; i < 32; ++i) name += "ä";
  const std::optional<ErrorInfo> error = identifier_too_long(name, "table name");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->detail, "The table name has 64 bytes; at most 63 are allowed.");
}

}  // namespace
}  // namespace pgclone::protocol
