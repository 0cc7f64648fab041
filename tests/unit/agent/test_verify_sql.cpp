#include <gtest/gtest.h>

#include <string>

#include "verify/checksum_sql.h"

namespace pgclone::agent::verify {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(VerifySql, RowHashByValueOrByText) {
  EXPECT_EQ(row_hash_sql({"id", "Name"}, RowHash{{true, true}}), "pg_catalog.hash_record_extended(ROW(id, \"Name\"), 0)");
  EXPECT_EQ(row_hash_sql({"id", "Name"}, RowHash{}),
            "pg_catalog.hashtextextended(ROW(id, \"Name\")::pg_catalog.text, 0)");
  EXPECT_EQ(row_hash_sql({"id", "Name"}, RowHash{{false, false}}),
            "pg_catalog.hashtextextended(ROW(id, \"Name\")::pg_catalog.text, 0)");
  // No column: a record with no type to hash by value, so by text ("()").
  EXPECT_EQ(row_hash_sql({}, RowHash{{true}}), "pg_catalog.hashtextextended(ROW()::pg_catalog.text, 0)");
}

TEST(VerifySql, ColumnsWhoseEqualValuesDifferHashByTheirText) {
  // e.g. amount numeric: 1.5 and 1.50 are equal and hash alike by value.
  EXPECT_EQ(row_hash_sql({"id", "amount", "note"}, RowHash{{true, false, true}}),
            "pg_catalog.hash_record_extended(ROW(id, amount::pg_catalog.text, note), 0)");
  // A shorter list leaves the rest to their text.
  EXPECT_EQ(row_hash_sql({"id", "amount"}, RowHash{{true}}),
            "pg_catalog.hash_record_extended(ROW(id, amount::pg_catalog.text), 0)");
}

TEST(VerifySql, SummaryCountsAndSumsExactly) {
  const std::string sql = table_summary_sql("s.\"T\"", {"a"}, true, RowHash{{true}});
  EXPECT_TRUE(has(sql, "pg_catalog.count(*) AS rows")) << sql;
  EXPECT_TRUE(has(sql, "COALESCE(pg_catalog.sum(pg_catalog.hash_record_extended(ROW(a), 0)), 0)::pg_catalog.text"))
      << sql;
  EXPECT_TRUE(has(sql, "FROM ONLY s.\"T\"")) << sql;
  const std::string count_only = table_summary_sql("s.t", {"a"}, false);
  EXPECT_TRUE(has(count_only, "NULL AS checksum")) << count_only;
  EXPECT_FALSE(has(count_only, "hash")) << count_only;
}

TEST(VerifySql, RowCursorOrdersByTheKeyTextInTheCCollation) {
  const std::string sql = row_hash_cursor_sql("c", "s.t", {"id", "v"}, {"id", "k2"}, RowHash{});
  EXPECT_TRUE(has(sql, "DECLARE c NO SCROLL CURSOR FOR SELECT ROW(id, k2)::pg_catalog.text COLLATE \"C\" AS sort_key"))
      << sql;
  EXPECT_TRUE(has(sql, "pg_catalog.hashtextextended(ROW(id, v)::pg_catalog.text, 0) AS row_hash")) << sql;
  EXPECT_TRUE(has(sql, ", id::pg_catalog.text, k2::pg_catalog.text FROM ONLY s.t ORDER BY 1")) << sql;
}

TEST(VerifySql, EverySessionPinsWhatRowTextDependsOn) {
  const std::string pins = pin_rendering_sql();
  for (const char* setting : {"datestyle", "intervalstyle", "timezone = 'UTC'", "extra_float_digits = 3",
                              "bytea_output = 'hex'", "lc_monetary = 'C'", "search_path = ''"}) {
    EXPECT_TRUE(has(pins, setting)) << setting;
  }
}

}  // namespace
}  // namespace pgclone::agent::verify
