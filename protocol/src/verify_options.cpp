#include "pgclone/protocol/verify_options.h"

#include <nlohmann/json.hpp>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/options_document.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/table_patterns.h"
#include "pgclone/protocol/too_long.h"

namespace pgclone::protocol {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& key, const std::string& message, std::string detail = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, key, message, {}, std::move(detail));
}

std::vector<std::string> as_pattern_array(const std::string& key, const json& value) {
  if (!value.is_array()) invalid(key, "option \"" + key + "\" must be an array of strings");
  std::vector<std::string> out;
  for (const json& item : value) {
    if (!item.is_string()) invalid(key, "option \"" + key + "\" must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  (void)TablePatterns(out, key);  // refused here, before anything reaches the agent
  return out;
}

VerifyMode as_mode(const std::string& key, const json& value) {
  if (value.is_string() && value.get<std::string>() == "checksum") return VerifyMode::kChecksum;
  if (value.is_string() && value.get<std::string>() == "count") return VerifyMode::kCount;
  invalid(key, "option \"" + key + "\" must be \"checksum\" or \"count\"");
}

int as_detail(const std::string& key, const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? kDefaultDetailKeys : 0;
  const std::string must = "option \"" + key + "\" must be true, false or a number of keys between 1 and " +
                           std::to_string(kMaxDetailKeys);
  if (!value.is_number_integer()) invalid(key, must);
  const long long n = value.get<long long>();
  if (n < 1 || n > kMaxDetailKeys) invalid(key, must);
  return static_cast<int>(n);
}

void check_name(const std::string& key, const std::string& name, const char* what) {
  if (name.empty()) invalid(key, "option \"" + key + "\" names an empty " + what);
  if (name.size() > kMaxIdentifierBytes) {
    invalid(key, "option \"" + key + "\" names a " + what + " that is too long",
            too_long_detail(what, name.size(), kMaxIdentifierBytes));
  }
}

// {"table" | "schema.table": ["column", ...]}
std::map<std::string, std::vector<std::string>> as_columns_excluded(const std::string& key, const json& value) {
  const std::string must = "option \"" + key + "\" must be an object {\"table\": [\"column\", ...]}";
  if (!value.is_object()) invalid(key, must);
  if (value.size() > kMaxExcludedTables) {
    invalid(key, "option \"" + key + "\" names too many tables",
            "It names " + std::to_string(value.size()) + "; at most " + std::to_string(kMaxExcludedTables) +
                " are allowed.");
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [table, columns] : value.items()) {
    const std::size_t dot = table.find('.');
    if (dot == std::string::npos) {
      check_name(key, table, "table name");
    } else {
      check_name(key, table.substr(0, dot), "schema name");
      check_name(key, table.substr(dot + 1), "table name");
    }
    if (!columns.is_array() || columns.size() > kMaxExcludedColumnsPerTable) invalid(key, must);
    std::vector<std::string>& names = out[table];
    for (const json& column : columns) {
      if (!column.is_string()) invalid(key, must);
      check_name(key, column.get<std::string>(), "column name");
      names.push_back(column.get<std::string>());
    }
  }
  return out;
}

}  // namespace

const char* verify_mode_name(VerifyMode mode) { return mode == VerifyMode::kCount ? "count" : "checksum"; }

std::vector<std::string> VerifyOptions::excluded_columns_of(const std::string& schema,
                                                             const std::string& table) const {
  std::vector<std::string> out;
  for (const std::string& key : {table, schema + "." + table}) {
    auto it = columns_excluded.find(key);
    if (it != columns_excluded.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

VerifyOptions parse_verify_options(std::string_view text) {
  VerifyOptions options;
  const json document = parse_options_document(text);
  if (document.is_null()) return options;

  for (const auto& [key, value] : document.items()) {
    if (key == "mode") {
      options.mode = as_mode(key, value);
    } else if (key == "tables") {
      options.tables = as_pattern_array(key, value);
    } else if (key == "exclude_tables") {
      options.exclude_tables = as_pattern_array(key, value);
    } else if (key == "columns_excluded") {
      options.columns_excluded = as_columns_excluded(key, value);
    } else if (key == "detail") {
      options.detail = as_detail(key, value);
    } else if (key == "parallel") {
      options.parallel = parallel_option(key, value);
    } else {
      invalid(key, "unknown option \"" + key + "\" of pgclone.verify",
              "pgclone.verify takes \"mode\", \"tables\", \"exclude_tables\", \"columns_excluded\", \"detail\" "
              "and \"parallel\".");
    }
  }
  if (options.detail > 0 && options.mode == VerifyMode::kCount) {
    invalid("detail", "option \"detail\" needs \"mode\": \"checksum\"",
            "Rows are told apart by their content checksums, which \"count\" mode does not compute.");
  }
  return options;
}

}  // namespace pgclone::protocol
