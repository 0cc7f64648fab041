#pragma once
// The sampling keys of table_sample() and schema_sample() options: which rows
// of which tables start a referentially consistent sample. Parsed with the
// clone options (clone_options.h, scope kSample), strict in the same way.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pgclone::protocol {

// How one table's starting rows are chosen. With "where", the rows that
// match (all of them, or rows/percent of them); rows and percent exclude
// each other.
struct StartRows {
  std::optional<std::int64_t> rows;
  std::optional<double> percent;  // (0, 100]
  std::optional<std::string> where;
  bool empty() const { return !rows && !percent && !where; }
};

// Rows a sample may pull in through "include_children": true.
inline constexpr std::int64_t kDefaultChildrenLimit = 1000;
// Bounds that keep one option small: tables named per key, rows per table.
inline constexpr std::size_t kMaxSampleTables = 4096;
inline constexpr std::int64_t kMaxSampleRows = 100000000;

struct SampleOptions {
  StartRows every_table;                   // "rows": N, "percent": p, "where": "..."
  std::map<std::string, StartRows> by_table;  // {"table" or "schema.table": ...}
  std::int64_t seed = 0;                   // the same seed on the same data gives the same sample
  std::int64_t children_limit = 0;         // "include_children": 0 = none, else rows per referencing table
  // "method": how "percent" (and the pre-sample of "rows") picks rows —
  // "bernoulli" (default: each row alike, reading every page) or "system"
  // (whole pages: reads only about that share of the table, but rows
  // stored together come together).
  std::string method = "BERNOULLI";

  // The starting rows of a table: its own entry ("schema.table" before
  // "table"), merged over every_table. Empty: the table only gets the rows
  // other sampled rows reference.
  StartRows start_for(const std::string& schema, const std::string& table) const;
  bool any_start() const;
};

// Whether key is one of the sampling keys.
bool is_sample_key(std::string_view key);

// Reads one sampling key into out; throws OptionsError (22023) naming key.
void parse_sample_key(const std::string& key, const nlohmann::json& value, SampleOptions& out);

// Checks what a sample needs as a whole (some starting rows; rows and
// percent not both for one table); throws OptionsError.
void check_sample_options(const SampleOptions& options);

// table_sample()'s rows argument merged into its options text as "rows"
// (the sampled table's), so both sides parse one document. Throws
// OptionsError when the options give "rows" too.
std::string options_with_rows(std::string_view options_json, std::int64_t rows);

}  // namespace pgclone::protocol
