#pragma once
// The SQL pgclone.verify runs on each side. The content checksum of a table
// is the sum, as an exact integer, of a 64-bit hash of each row:
//   sum(hash_record_extended(ROW(c1, c2::text, ...), 0))   mixed, or
//   sum(hashtextextended(ROW(c1, c2, ...)::text, 0))       by text
// A sum does not depend on the order rows come in (so physical order, VACUUM
// FULL or CLUSTER never matter) and counts duplicates; sum(bigint) is
// accumulated exactly (128-bit) by the server. A column whose type's equal
// values are identical (integers, text, timestamps, uuid, … on both sides;
// verify_tables.cpp) is hashed by value with its type's own hash function,
// 1.4-2 times cheaper than printing it (measured on the benchmark tables);
// any other column by its text, so that 1.5 and 1.50, or 'a' and 'A' in a
// citext column, differ. By text, both sides must render each value the
// same: every verify session pins the settings output depends on
// (pin_rendering_sql).

#include <string>
#include <vector>

namespace pgclone::agent::verify {

// SET statements for DateStyle, IntervalStyle, TimeZone, extra_float_digits,
// bytea_output, lc_monetary, xmlbinary/xmloption, search_path ''.
const char* pin_rendering_sql();

// ROW(c1, c2, ...)::text of the columns (quoted here).
std::string row_text_sql(const std::vector<std::string>& columns);

// How a row is hashed, the same on both sides of a table: by_value[i] says
// whether columns[i] is hashed by value, else by its text (missing: text).
struct RowHash {
  std::vector<bool> by_value;
  bool any_by_value() const;
};

// The 64-bit hash of a row of the columns.
std::string row_hash_sql(const std::vector<std::string>& columns, const RowHash& method);

// One row: rows (count), checksum (text of the sum; "0" for no rows).
// Without checksum (count mode), checksum is NULL.
std::string table_summary_sql(const std::string& qualified, const std::vector<std::string>& columns, bool checksum,
                              const RowHash& method = {});

// A cursor over (sort_key, row_hash, k1::text, k2::text, ...) ordered by
// sort_key under the "C" collation, so both sides come in the same order
// whatever their collations: sort_key is ROW(key columns)::text.
std::string row_hash_cursor_sql(const std::string& cursor, const std::string& qualified,
                                const std::vector<std::string>& columns, const std::vector<std::string>& key_columns,
                                const RowHash& method);

}  // namespace pgclone::agent::verify
