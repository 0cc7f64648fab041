#include <gtest/gtest.h>

#include "pg/connection.h"
#include "pg/conninfo.h"

using namespace pgclone::agent::pg;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}
}  // namespace

TEST(RedactConninfo, MasksKeywordPasswords) {
  EXPECT_EQ(redact_conninfo("host=db1 password=s3cret dbname=app"), "host=db1 password=******** dbname=app");
  EXPECT_EQ(redact_conninfo("password='se cr\\'et' host=db1"), "password=******** host=db1");
  EXPECT_EQ(redact_conninfo("host=db1 password = s3cret"), "host=db1 password = ********");
  EXPECT_EQ(redact_conninfo("host=db1 user=u"), "host=db1 user=u");
}

TEST(RedactConninfo, MasksUriPasswords) {
  EXPECT_EQ(redact_conninfo("postgresql://alice:s3cret@db1:5432/app?sslmode=require"),
            "postgresql://alice:********@db1:5432/app?sslmode=require");
  EXPECT_EQ(redact_conninfo("postgres://db1/app?user=alice&password=s3cret&sslmode=disable"),
            "postgres://db1/app?user=alice&password=********&sslmode=disable");
  EXPECT_EQ(redact_conninfo("postgresql://alice@db1/app"), "postgresql://alice@db1/app");
  EXPECT_EQ(redact_conninfo("postgresql://al:p%40ss@db1,db2:5433/app"), "postgresql://al:********@db1,db2:5433/app");
}

TEST(RedactConninfo, MasksUriGivenAsKeywordValue) {
  std::string out = redact_conninfo("dbname='postgresql://alice:s3cret@db1/app' connect_timeout=5");
  EXPECT_FALSE(contains(out, "s3cret")) << out;
  EXPECT_TRUE(contains(out, "connect_timeout=5")) << out;
}

TEST(RedactConninfo, UnparsableStringIsNotShown) {
  std::string out = redact_conninfo("host=db1 password='s3cret");  // unterminated quote
  EXPECT_FALSE(contains(out, "s3cret")) << out;
  out = redact_conninfo("host=db1 password=s3cret bogus");
  EXPECT_FALSE(contains(out, "s3cret")) << out;
  EXPECT_EQ(redact_conninfo("appdb"), "appdb");  // a bare database name
}

TEST(ValidateConninfo, AcceptsValidStrings) {
  EXPECT_NO_THROW(validate_conninfo("host=db1 dbname=app"));
  EXPECT_NO_THROW(validate_conninfo("postgresql://u:p@db1/app"));
}

TEST(ValidateConninfo, RejectsWithSqlstate22023) {
  try {
    validate_conninfo("host=db1 nosuchoption=1");
    FAIL() << "no exception";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate, "22023");
    EXPECT_EQ(e.message, "invalid connection string: invalid connection option \"nosuchoption\"");
  }
}

TEST(ValidateConninfo, NeverEchoesPasswordFragments) {
  // libpq reads "b" as the next keyword and complains about it by name.
  try {
    validate_conninfo("host=db1 password=a b");
    FAIL() << "no exception";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate, "22023");
    EXPECT_EQ(e.message, "invalid connection string: missing \"=\" after \"********\" in connection info string");
  }
  try {
    validate_conninfo("postgresql://u:s3cret@[::1/app");
    FAIL() << "no exception";
  } catch (const PgError& e) {
    EXPECT_FALSE(contains(e.message, "s3cret")) << e.message;
  }
}

TEST(ScrubSecrets, RemovesPasswordsFromMessages) {
  EXPECT_EQ(scrub_secrets("auth failed for s3cret!", "host=h password=s3cret"), "auth failed for ********!");
  std::string uri = "postgresql://u:p%40ss@h/db";
  EXPECT_EQ(scrub_secrets("raw p%40ss decoded p@ss", uri), "raw ******** decoded ********");
  EXPECT_EQ(scrub_secrets("could not parse " + uri, uri), "could not parse postgresql://u:********@h/db");
  EXPECT_EQ(scrub_secrets("nothing to hide", "host=h"), "nothing to hide");
}

TEST(ParseTextArray, HandlesQuotingAndNulls) {
  EXPECT_EQ(parse_text_array("{}"), std::vector<std::string>{});
  EXPECT_EQ(parse_text_array("{a,b}"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_text_array("{\"a,b\",\"c \\\"d\\\"\",NULL,\"NULL\"}"),
            (std::vector<std::string>{"a,b", "c \"d\"", "", "NULL"}));
  EXPECT_EQ(parse_text_array("[0:1]={x,y}"), (std::vector<std::string>{"x", "y"}));
  EXPECT_THROW(parse_text_array("nope"), std::logic_error);
}
