#include "pgclone/protocol/clone_options.h"

#include <re2/re2.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "pgclone/protocol/messages.h"
#include "pgclone/protocol/options_document.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/table_patterns.h"
#include "pgclone/protocol/where_filter.h"

namespace pgclone::protocol {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& key, const std::string& message, std::string detail = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, key, message, {}, std::move(detail));
}

bool as_bool(const std::string& key, const json& value) {
  if (!value.is_boolean()) invalid(key, "option \"" + key + "\" must be a boolean");
  return value.get<bool>();
}

std::string as_string(const std::string& key, const json& value) {
  if (!value.is_string()) invalid(key, "option \"" + key + "\" must be a string");
  return value.get<std::string>();
}

std::vector<std::string> as_string_array(const std::string& key, const json& value) {
  if (!value.is_array()) invalid(key, "option \"" + key + "\" must be an array of strings");
  std::vector<std::string> out;
  for (const json& item : value) {
    if (!item.is_string()) invalid(key, "option \"" + key + "\" must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// Compiled here only to be refused here, before anything reaches the agent.
std::vector<std::string> as_pattern_array(const std::string& key, const json& value) {
  std::vector<std::string> patterns = as_string_array(key, value);
  (void)TablePatterns(patterns, key);
  return patterns;
}

ConflictMode as_conflict(const std::string& key, const json& value) {
  const std::string text = as_string(key, value);
  if (text == "error") return ConflictMode::kError;
  if (text == "skip") return ConflictMode::kSkip;
  if (text == "replace") return ConflictMode::kReplace;
  if (text == "rename") return ConflictMode::kRename;
  invalid(key, "option \"" + key + "\" must be one of error, skip, replace, rename (got \"" +
                   text + "\")");
}

PrivilegesMode as_privileges(const std::string& key, const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? PrivilegesMode::kClone : PrivilegesMode::kNone;
  if (value.is_string() && value.get<std::string>() == "skip_missing_roles") return PrivilegesMode::kSkipMissingRoles;
  invalid(key, "option \"" + key + "\" must be true, false or \"skip_missing_roles\"");
}

OwnerMode as_owner(const std::string& key, const json& value) {
  if (value.is_string() && value.get<std::string>() == "caller") return OwnerMode::kCaller;
  if (value.is_string() && value.get<std::string>() == "source") return OwnerMode::kSource;
  invalid(key, "option \"" + key + "\" must be \"caller\" or \"source\"");
}

// A PostgreSQL memory size: digits, then optionally kB, MB, GB or TB.
std::string as_memory_size(const std::string& key, const json& value) {
  if (value.is_null()) return "";
  static const re2::RE2* const kSize = [] {
    re2::RE2::Options quiet;
    quiet.set_log_errors(false);
    // Never destroyed: agent threads may still match while exit() runs destructors.
    return new re2::RE2("[0-9]{1,10} *(kB|MB|GB|TB)?", quiet);
  }();
  if (!value.is_string() || !re2::RE2::FullMatch(value.get<std::string>(), *kSize)) {
    invalid(key, "option \"" + key + "\" must be a memory size such as \"512MB\", or null for the "
                 "server's setting");
  }
  return value.get<std::string>();
}

// A duration in milliseconds: a non-negative integer, or a string with a unit
// as PostgreSQL writes them ("500ms", "5s", "2min", "1h"; no unit: ms).
std::int64_t as_duration_ms(const std::string& key, const json& value) {
  const std::string must = "option \"" + key + "\" must be a duration such as 500 (milliseconds), \"5s\" or \"2min\"";
  constexpr std::int64_t kMaxMs = std::int64_t{24} * 3600 * 1000;  // a day: beyond that, say 0 (no limit)
  std::int64_t ms = -1;
  if (value.is_number_integer()) {
    ms = value.get<std::int64_t>();
  } else if (value.is_string()) {
    static const re2::RE2* const kDuration = [] {
      re2::RE2::Options quiet;
      quiet.set_log_errors(false);
      return new re2::RE2(" *([0-9]{1,9}) *(ms|s|min|h)? *", quiet);  // never destroyed, as kSize
    }();
    std::string digits, unit;
    if (!re2::RE2::FullMatch(value.get<std::string>(), *kDuration, &digits, &unit)) invalid(key, must);
    const std::int64_t factor = unit == "s" ? 1000 : unit == "min" ? 60000 : unit == "h" ? 3600000 : 1;
    ms = std::stoll(digits) * factor;
  } else {
    invalid(key, must);
  }
  if (ms < 0 || ms > kMaxMs) invalid(key, must + ", between 0 (no limit) and 24h");
  return ms;
}

std::vector<std::string> as_excluded_kinds(const std::string& key, const json& value, CloneScope scope) {
  std::vector<std::string> kinds = as_string_array(key, value);
  std::string allowed;
  for (const char* kind : kExcludableKinds) allowed += std::string(allowed.empty() ? "\"" : ", \"") + kind + "\"";
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const std::string& kind = kinds[i];
    bool known = false;
    for (const char* k : kExcludableKinds) known = known || kind == k;
    if (!known) {
      invalid(key, "option \"exclude_kinds\": unknown kind \"" + kind + "\"",
              "Kinds a clone can be told to leave out: " + allowed + ".");
    }
    const auto earlier = kinds.begin() + static_cast<std::ptrdiff_t>(i);
    if (std::find(kinds.begin(), earlier, kind) != earlier)
      invalid(key, "option \"exclude_kinds\" names \"" + kind + "\" twice");
    if (kind == "subscriptions" && scope != CloneScope::kDatabase)
      invalid(key, "option \"exclude_kinds\": \"subscriptions\" only applies to database clones",
              "Only a database clone meets subscriptions: they belong to the database.");
    if (kind == "event_triggers" && scope == CloneScope::kTable)
      invalid(key, "option \"exclude_kinds\": \"event_triggers\" only applies to schema and database clones");
  }
  return kinds;
}

void reject_for_scope(const std::string& key, CloneScope scope) {
  if (scope == CloneScope::kSample) {
    if (key == "columns" || key == "mask")
      invalid(key, "option \"" + key + "\" does not apply to samples", "Use \"masks\" to mask sampled tables.");
    if (key == "consistent")
      invalid(key, "option \"consistent\" does not apply to samples",
              "A sample is always read in one snapshot: otherwise its foreign keys could not hold.");
    return;
  }
  const bool table_only = key == "columns" || key == "where" || key == "mask";
  const bool multi_table_only = key == "tables" || key == "exclude_tables" || key == "matviews" || key == "masks";
  if (table_only && scope != CloneScope::kTable) {
    invalid(key, "option \"" + key + "\" only applies to single-table clones");
  }
  if (multi_table_only && scope == CloneScope::kTable) {
    invalid(key, "option \"" + key + "\" only applies to schema and database clones");
  }
  if (key == "dependencies" && scope == CloneScope::kDatabase) {
    invalid(key, "option \"dependencies\" only applies to table and schema clones",
            "A database clone brings every schema, with the types in it.");
  }
}

}  // namespace

const char* conflict_mode_name(ConflictMode mode) {
  switch (mode) {
    case ConflictMode::kError: return "error";
    case ConflictMode::kSkip: return "skip";
    case ConflictMode::kReplace: return "replace";
    case ConflictMode::kRename: return "rename";
  }
  return "error";
}

std::optional<CloneScope> scope_for_operation(std::string_view operation) {
  if (operation == kOpTable) return CloneScope::kTable;
  // discover_sensitive, diff, preflight and clone_roles take no options: the schema scope accepts the empty ones.
  if (operation == kOpSchema || operation == kOpFunctions || operation == kOpDiscover || operation == kOpRoles ||
      operation == kOpDiff || operation == kOpPreflight) {
    return CloneScope::kSchema;
  }
  if (operation == kOpDatabase || operation == kOpDatabaseCreate) return CloneScope::kDatabase;
  if (operation == kOpTableSample || operation == kOpSchemaSample) return CloneScope::kSample;
  return std::nullopt;
}

CloneOptions parse_clone_options(std::string_view text, CloneScope scope) {
  CloneOptions options;
  const json document = parse_options_document(text);
  if (document.is_null()) {
    if (scope == CloneScope::kSample) check_sample_options(options.sample);
    return options;
  }
  for (const auto& [key, value] : document.items()) {
    reject_for_scope(key, scope);
    if (scope == CloneScope::kSample && is_sample_key(key)) {
      parse_sample_key(key, value, options.sample);
    } else if (key == "indexes") {
      options.indexes = as_bool(key, value);
    } else if (key == "constraints") {
      options.constraints = as_bool(key, value);
    } else if (key == "triggers") {
      options.triggers = as_bool(key, value);
    } else if (key == "matviews") {
      options.matviews = as_bool(key, value);
    } else if (key == "columns") {
      std::vector<std::string> columns = as_string_array(key, value);
      if (columns.empty()) invalid(key, "option \"columns\" must name at least one column");
      options.columns = std::move(columns);
    } else if (key == "where") {
      std::string where = as_string(key, value);
      if (where.find_first_not_of(" \t\r\n") == std::string::npos) {
        invalid(key, "option \"where\" must not be empty");
      }
      check_where_filter(where);
      options.where = std::move(where);
    } else if (key == "conflict") {
      options.conflict = as_conflict(key, value);
    } else if (key == "tables") {
      options.tables = as_pattern_array(key, value);
    } else if (key == "exclude_tables") {
      options.exclude_tables = as_pattern_array(key, value);
    } else if (key == "parallel") {
      options.parallel = parallel_option(key, value);
    } else if (key == "maintenance_work_mem") {
      options.maintenance_work_mem = as_memory_size(key, value);
    } else if (key == "lock_timeout") {
      options.lock_timeout_ms = as_duration_ms(key, value);
    } else if (key == "consistent") {
      options.consistent = as_bool(key, value);
    } else if (key == "privileges") {
      options.privileges = as_privileges(key, value);
    } else if (key == "dependencies") {
      options.dependencies = as_bool(key, value);
    } else if (key == "owner") {
      options.owner = as_owner(key, value);
    } else if (key == "exclude_kinds") {
      options.exclude_kinds = as_excluded_kinds(key, value, scope);
    } else if (key == "mask") {
      options.mask = column_masks_from_json(value, key);
    } else if (key == "masks") {
      options.masks = mask_spec_from_json(value, key);
    } else {
      invalid(key, "unknown option \"" + key + "\"");
    }
  }
  if (scope == CloneScope::kSample) check_sample_options(options.sample);
  return options;
}

}  // namespace pgclone::protocol
