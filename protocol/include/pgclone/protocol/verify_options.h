#pragma once
// The options JSON of pgclone.verify(conninfo, schema, options), parsed into
// a typed struct. Strict like the clone options (clone_options.h): unknown
// keys, wrong types and malformed JSON are OptionsError (22023) naming the key.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgclone::protocol {

enum class VerifyMode {
  kChecksum,  // "checksum" (the default): row count and content checksum per table
  kCount,     // "count": row counts only
};

const char* verify_mode_name(VerifyMode mode);

struct VerifyOptions {
  VerifyMode mode = VerifyMode::kChecksum;
  std::vector<std::string> tables;          // RE2 patterns (table_patterns.h), as the clones take them
  std::vector<std::string> exclude_tables;  // RE2 patterns
  // Columns left out of the comparison, by table: the key is a bare table
  // name (that table in every schema of the scope) or "schema.table"; the
  // names are column names, exact (no patterns). E.g. masked columns.
  std::map<std::string, std::vector<std::string>> columns_excluded;
  // With detail > 0, a mismatching table with a key is compared row by row,
  // and up to `detail` differing keys are reported. true means kDefaultDetailKeys.
  int detail = 0;
  // Worker sessions on each side; 0: kDefaultVerifyParallel.
  int parallel = 0;

  // The columns of schema.table that are left out (empty when none).
  std::vector<std::string> excluded_columns_of(const std::string& schema, const std::string& table) const;
};

inline constexpr int kDefaultDetailKeys = 10;
inline constexpr int kMaxDetailKeys = 1000;
inline constexpr int kDefaultVerifyParallel = 4;
inline constexpr std::size_t kMaxExcludedTables = 1000;
inline constexpr std::size_t kMaxExcludedColumnsPerTable = 1600;  // PostgreSQL's column limit

// Empty or all-blank text means "no options". Throws OptionsError (22023).
VerifyOptions parse_verify_options(std::string_view json);

}  // namespace pgclone::protocol
