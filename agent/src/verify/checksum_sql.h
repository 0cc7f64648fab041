#pragma once
// The SQL pgclone.verify runs on each side. The content checksum of a table
// is the sum, as an exact integer, of a 64-bit hash of each row:
//   sum(hash_record_extended(ROW(c1, c2, ...), 0))      by value, or
//   sum(hashtextextended(ROW(c1, c2, ...)::text, 0))    by text
// A sum does not depend on the order rows come in (so physical order, VACUUM
// FULL or CLUSTER never matter) and counts duplicates; sum(bigint) is
// accumulated exactly (128-bit) by the server. By value (every compared
// column's type has a default hash operator class and a deterministic
// collation, on both sides) hashes each value with its type's own hash
// function, 1.4-2 times cheaper than printing the row (measured on the
// benchmark tables), and no output setting matters. By text, both sides must
// render each row the same: every verify session pins the settings output
// depends on (pin_rendering_sql).

#include <string>
#include <vector>

namespace pgclone::agent::verify {

// SET statements for DateStyle, IntervalStyle, TimeZone, extra_float_digits,
// bytea_output, lc_monetary, xmlbinary/xmloption, search_path ''.
const char* pin_rendering_sql();

// ROW(c1, c2, ...)::text of the columns (quoted here).
std::string row_text_sql(const std::vector<std::string>& columns);

// How a row is hashed: the same on both sides of a table.
enum class RowHash { kByValue, kByText };

// The 64-bit hash of a row of the columns.
std::string row_hash_sql(const std::vector<std::string>& columns, RowHash method);

// One row: rows (count), checksum (text of the sum; "0" for no rows).
// Without checksum (count mode), checksum is NULL.
std::string table_summary_sql(const std::string& qualified, const std::vector<std::string>& columns, bool checksum,
                              RowHash method = RowHash::kByText);

// A cursor over (sort_key, row_hash, k1::text, k2::text, ...) ordered by
// sort_key under the "C" collation, so both sides come in the same order
// whatever their collations: sort_key is ROW(key columns)::text.
std::string row_hash_cursor_sql(const std::string& cursor, const std::string& qualified,
                                const std::vector<std::string>& columns, const std::vector<std::string>& key_columns,
                                RowHash method);

}  // namespace pgclone::agent::verify
