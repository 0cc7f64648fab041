#include <gtest/gtest.h>

#include "discover/value_sample.h"

namespace pgclone::agent::discover {
namespace {

CandidateTable table(std::int64_t bytes, const char* from = "ONLY disc.contacts") {
  CandidateTable t;
  t.key = "contacts";
  t.qualified = "disc.contacts";
  t.from = from;
  t.bytes = bytes;
  return t;
}

TEST(DiscoverSample, BoundedNonNullValuesCutShort) {
  EXPECT_EQ(sample_query(table(8192), "contact"),
            "SELECT pg_catalog.left((contact)::pg_catalog.text, 256) FROM ONLY disc.contacts"
            " WHERE contact IS NOT NULL LIMIT 1000");
}

TEST(DiscoverSample, ColumnNamesAreQuoted) {
  EXPECT_EQ(sample_query(table(0, "disc.visits"), "Client IP"),
            "SELECT pg_catalog.left((\"Client IP\")::pg_catalog.text, 256) FROM disc.visits"
            " WHERE \"Client IP\" IS NOT NULL LIMIT 1000");
}

// A large table is read through about kSampledBytes of its pages.
TEST(DiscoverSample, LargeTableThroughTablesample) {
  const std::string sql = sample_query(table(kSampledBytes * 100), "contact");
  EXPECT_NE(sql.find("FROM ONLY disc.contacts TABLESAMPLE SYSTEM (1.000000) WHERE"), std::string::npos) << sql;
  EXPECT_EQ(sample_query(table(kFullReadBytes), "contact").find("TABLESAMPLE"), std::string::npos);
}

}  // namespace
}  // namespace pgclone::agent::discover
