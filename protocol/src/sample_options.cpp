#include "pgclone/protocol/sample_options.h"

#include <cmath>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/options_document.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/where_filter.h"

namespace pgclone::protocol {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& key, const std::string& message, std::string detail = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, key, message, {}, std::move(detail));
}

std::int64_t as_rows(const std::string& key, const json& value) {
  if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > kMaxSampleRows)
    invalid(key, "option \"" + key + "\" must be a number of rows between 0 and " + std::to_string(kMaxSampleRows));
  return value.get<std::int64_t>();
}

double as_percent(const std::string& key, const json& value) {
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() <= 0 ||
      value.get<double>() > 100)
    invalid(key, "option \"" + key + "\" must be a percentage greater than 0 and at most 100");
  return value.get<double>();
}

std::string as_where(const std::string& key, const json& value) {
  if (!value.is_string()) invalid(key, "option \"" + key + "\" must be a string");
  std::string where = value.get<std::string>();
  if (where.find_first_not_of(" \t\r\n") == std::string::npos) invalid(key, "option \"" + key + "\" must not be empty");
  check_where_filter(where);
  return where;
}

// A key of the per-table form: "table" or "schema.table", as the masks
// option names tables.
void check_table_key(const std::string& option, const std::string& table) {
  if (table.empty() || table.size() > 2 * 63 + 1)
    invalid(option, "option \"" + option + "\" names a table \"" + table + "\" that cannot exist");
}

// "rows": N | {"table": N}, likewise percent and where.
template <typename Read>
void per_table(const std::string& key, const json& value, SampleOptions& out, Read read) {
  if (!value.is_object()) {
    read(key, value, out.every_table);
    return;
  }
  if (value.size() > kMaxSampleTables)
    invalid(key, "option \"" + key + "\" names more than " + std::to_string(kMaxSampleTables) + " tables");
  for (const auto& [table, item] : value.items()) {
    check_table_key(key, table);
    read(key + "." + table, item, out.by_table[table]);
  }
}

void merge(StartRows& into, const StartRows& from) {
  if (from.rows || from.percent) {
    into.rows = from.rows;
    into.percent = from.percent;
  }
  if (from.where) into.where = from.where;
}

}  // namespace

StartRows SampleOptions::start_for(const std::string& schema, const std::string& table) const {
  StartRows out = every_table;
  if (auto bare = by_table.find(table); bare != by_table.end()) merge(out, bare->second);
  if (auto qualified = by_table.find(schema + "." + table); qualified != by_table.end()) merge(out, qualified->second);
  return out;
}

bool SampleOptions::any_start() const {
  if (!every_table.empty()) return true;
  for (const auto& [table, start] : by_table)
    if (!start.empty()) return true;
  return false;
}

bool is_sample_key(std::string_view key) {
  return key == "rows" || key == "percent" || key == "where" || key == "seed" || key == "include_children" ||
         key == "method";
}

void parse_sample_key(const std::string& key, const json& value, SampleOptions& out) {
  if (key == "rows") {
    per_table(key, value, out, [](const std::string& k, const json& v, StartRows& s) { s.rows = as_rows(k, v); });
  } else if (key == "percent") {
    per_table(key, value, out, [](const std::string& k, const json& v, StartRows& s) { s.percent = as_percent(k, v); });
  } else if (key == "where") {
    per_table(key, value, out, [](const std::string& k, const json& v, StartRows& s) { s.where = as_where(k, v); });
  } else if (key == "seed") {
    if (!value.is_number_integer()) invalid(key, "option \"seed\" must be an integer");
    out.seed = value.get<std::int64_t>();
  } else if (key == "method") {
    if (value == "bernoulli" || value == "system") {
      out.method = value == "system" ? "SYSTEM" : "BERNOULLI";
    } else {
      invalid(key, "option \"method\" must be \"bernoulli\" or \"system\"");
    }
  } else if (key == "include_children") {
    if (value.is_boolean()) {
      out.children_limit = value.get<bool>() ? kDefaultChildrenLimit : 0;
    } else if (value.is_number_integer() && value.get<long long>() >= 0 && value.get<long long>() <= kMaxSampleRows) {
      out.children_limit = value.get<std::int64_t>();
    } else {
      invalid(key, "option \"include_children\" must be true, false or a number of rows per referencing table");
    }
  } else {
    invalid(key, "unknown option \"" + key + "\"");
  }
}

void check_sample_options(const SampleOptions& options) {
  if (!options.any_start()) {
    invalid("rows", "a sample needs \"rows\", \"percent\" or \"where\"",
            "Without them no table has starting rows, and the sample would be empty.");
  }
  const auto both = [](const StartRows& s) { return s.rows && s.percent; };
  if (both(options.every_table)) invalid("percent", "options \"rows\" and \"percent\" exclude each other");
  for (const auto& [table, start] : options.by_table)
    if (both(start)) invalid("percent", "options \"rows\" and \"percent\" exclude each other (table \"" + table + "\")");
}

std::string options_with_rows(std::string_view options_json, std::int64_t rows) {
  json document;
  try {
    document = parse_options_document(options_json);
  } catch (const OptionsError&) {
    // Handed on unchanged, for the options parser to refuse naming the fault.
    return std::string(options_json);
  }
  if (document.is_null()) document = json::object();
  if (document.contains("rows"))
    invalid("rows", "option \"rows\" given twice", "table_sample() takes the number of rows as its fourth argument.");
  document["rows"] = rows;
  return document.dump();
}

}  // namespace pgclone::protocol
