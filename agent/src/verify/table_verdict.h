#pragma once
// What pgclone.verify says about one table: one row of its result.

#include <cstdint>
#include <optional>
#include <string>

namespace pgclone::agent::verify {

// The match column's values.
inline constexpr const char* kMatch = "\u2713";                                 // ✓
inline constexpr const char* kMismatch = "\u2717";                              // ✗
inline constexpr const char* kMissingOnTarget = "\u2717 (missing)";             // only on the source
inline constexpr const char* kNotOnSource = "\u2717 (not on source)";           // only on the target

struct TableVerdict {
  std::string schema;
  std::string name;
  std::optional<std::int64_t> source_rows;  // nullopt: not on the source
  std::optional<std::int64_t> target_rows;  // nullopt: not on the target
  std::string match;
  std::string detail_json;  // "" when the table matches
};

}  // namespace pgclone::agent::verify
