#include "pgclone/protocol/mask_rules.h"

#include <cmath>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::protocol {
namespace {

using nlohmann::json;

constexpr std::pair<MaskStrategy, const char*> kNames[] = {
    {MaskStrategy::kEmail, "email"},       {MaskStrategy::kName, "name"},
    {MaskStrategy::kPhone, "phone"},       {MaskStrategy::kPartial, "partial"},
    {MaskStrategy::kHash, "hash"},         {MaskStrategy::kNull, "null"},
    {MaskStrategy::kRandomInt, "random_int"}, {MaskStrategy::kConstant, "constant"},
    {MaskStrategy::kPseudonym, "pseudonym"}, {MaskStrategy::kNoise, "noise"},
    {MaskStrategy::kGeneralize, "generalize"}, {MaskStrategy::kShuffle, "shuffle"},
};

constexpr const char* kStrategyList =
    "The strategies are email, name, phone, partial, hash, null, random_int, constant, pseudonym, noise, "
    "generalize and shuffle.";

// The longest partial prefix or suffix, and the widest random_int bounds: what
// a bigint holds.
constexpr int kMaxPartialChars = 1000;
constexpr std::size_t kMaxConstantBytes = 10000;

[[noreturn]] void invalid(const std::string& option, const std::string& message, std::string hint = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, option, message, std::move(hint));
}

std::string where_of(const std::string& option, const std::string& table, const std::string& column) {
  std::string at = "option \"" + option + "\": ";
  if (!table.empty()) at += "table \"" + table + "\", ";
  return at + "column \"" + column + "\"";
}

MaskStrategy strategy_named(const std::string& name, const std::string& option, const std::string& at) {
  for (const auto& [strategy, known] : kNames)
    if (name == known) return strategy;
  invalid(option, at + ": unknown mask strategy \"" + name + "\"", kStrategyList);
}

std::int64_t integer_param(const json& v, const std::string& option, const std::string& at, const char* param) {
  if (!v.is_number_integer())
    invalid(option, at + ": parameter \"" + param + "\" must be an integer");
  // JSON integers above a bigint parse as unsigned; read as int64 they would
  // wrap around to a negative number.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    invalid(option, at + ": parameter \"" + param + "\" is out of range for type bigint");
  return v.get<std::int64_t>();
}

// The parameters each strategy takes; anything else is a typo.
const std::set<std::string>& params_of(MaskStrategy s) {
  static const std::set<std::string> kNone{}, kPartial{"prefix", "suffix"}, kRange{"min", "max"},
      kValue{"value"}, kRatio{"ratio"}, kStep{"step"};
  switch (s) {
    case MaskStrategy::kPartial: return kPartial;
    case MaskStrategy::kRandomInt: return kRange;
    case MaskStrategy::kConstant: return kValue;
    case MaskStrategy::kNoise: return kRatio;
    case MaskStrategy::kGeneralize: return kStep;
    default: return kNone;
  }
}

void read_params(MaskRule& rule, const json& object, const std::string& option, const std::string& at) {
  const std::string name = mask_strategy_name(rule.strategy);
  for (const auto& [key, v] : object.items()) {
    if (key == "type") continue;
    if (params_of(rule.strategy).count(key) == 0) {
      invalid(option, at + ": unknown parameter \"" + key + "\" for mask strategy \"" + name + "\"",
              params_of(rule.strategy).empty() ? "Strategy \"" + name + "\" takes no parameters." : "");
    }
    if (key == "prefix" || key == "suffix") {
      const std::int64_t n = integer_param(v, option, at, key.c_str());
      if (n < 0 || n > kMaxPartialChars)
        invalid(option, at + ": parameter \"" + key + "\" must be between 0 and " + std::to_string(kMaxPartialChars));
      (key == "prefix" ? rule.prefix : rule.suffix) = static_cast<int>(n);
    } else if (key == "min" || key == "max") {
      (key == "min" ? rule.min : rule.max) = integer_param(v, option, at, key.c_str());
    } else if (key == "value") {
      if (v.is_string()) {
        rule.value = v.get<std::string>();
      } else if (v.is_number() || v.is_boolean()) {
        rule.value = v.dump();
      } else {
        invalid(option, at + ": parameter \"value\" must be a string, a number or a boolean");
      }
      if (rule.value.size() > kMaxConstantBytes)
        invalid(option, at + ": parameter \"value\" is longer than " + std::to_string(kMaxConstantBytes) + " bytes");
      if (rule.value.find('\0') != std::string::npos)
        invalid(option, at + ": parameter \"value\" must not contain a zero byte");
    } else if (key == "ratio") {
      if (!v.is_number()) invalid(option, at + ": parameter \"ratio\" must be a number");
      rule.ratio = v.get<double>();
      if (!std::isfinite(rule.ratio) || rule.ratio <= 0 || rule.ratio > 10)
        invalid(option, at + ": parameter \"ratio\" must be greater than 0 and at most 10");
    } else if (key == "step") {
      if (v.is_number()) {
        if (!(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
          invalid(option, at + ": parameter \"step\" must be a positive number or a date unit");
        rule.step = v.is_number_integer() ? std::to_string(v.get<std::int64_t>()) : v.dump();
      } else if (v.is_string() && is_date_unit(v.get<std::string>())) {
        rule.step = v.get<std::string>();
      } else {
        invalid(option, at + ": parameter \"step\" must be a positive number or a date unit",
                "Date units are minute, hour, day, week, month, quarter, year and decade.");
      }
    }
  }
  if (rule.strategy == MaskStrategy::kRandomInt && rule.min > rule.max)
    invalid(option, at + ": parameter \"min\" (" + std::to_string(rule.min) + ") is greater than \"max\" (" +
                        std::to_string(rule.max) + ")");
  if (rule.strategy == MaskStrategy::kGeneralize && rule.step.empty())
    invalid(option, at + ": mask strategy \"generalize\" needs a \"step\"",
            "Give a positive number (buckets of numbers) or a date unit such as \"month\".");
}

MaskRule rule_from_json(const json& v, const std::string& option, const std::string& at) {
  MaskRule rule;
  if (v.is_string()) {
    rule.strategy = strategy_named(v.get<std::string>(), option, at);
    if (rule.strategy == MaskStrategy::kGeneralize)
      invalid(option, at + ": mask strategy \"generalize\" needs a \"step\"",
              "Write {\"type\": \"generalize\", \"step\": \"month\"} or a positive number as the step.");
    return rule;
  }
  if (!v.is_object())
    invalid(option, at + ": a mask must be a strategy name or an object with a \"type\"");
  const auto type = v.find("type");
  if (type == v.end() || !type->is_string())
    invalid(option, at + ": a mask object needs a \"type\" naming its strategy", kStrategyList);
  rule.strategy = strategy_named(type->get<std::string>(), option, at);
  read_params(rule, v, option, at);
  return rule;
}

json parse_limited(std::string_view text, const std::string& option) {
  if (text.size() > kMaxOptionsBytes) invalid(option, "argument \"" + option + "\" is too long");
  const json::parser_callback_t limit_depth = [&option](int depth, json::parse_event_t event, json&) {
    const bool opens = event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && depth >= kMaxOptionsDepth) invalid(option, "argument \"" + option + "\" is nested too deeply");
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), limit_depth);
  } catch (const json::parse_error& e) {
    std::string reason = e.what();
    const std::size_t bracket = reason.find("] ");
    if (bracket != std::string::npos) reason = reason.substr(bracket + 2);
    invalid(option, "invalid JSON in argument \"" + option + "\": " + reason);
  }
}

}  // namespace

const char* mask_strategy_name(MaskStrategy strategy) {
  for (const auto& [s, name] : kNames)
    if (s == strategy) return name;
  return "null";
}

bool MaskRule::operator==(const MaskRule& o) const {
  if (strategy != o.strategy) return false;
  switch (strategy) {
    case MaskStrategy::kPartial: return prefix == o.prefix && suffix == o.suffix;
    case MaskStrategy::kRandomInt: return min == o.min && max == o.max;
    case MaskStrategy::kConstant: return value == o.value;
    case MaskStrategy::kNoise: return ratio == o.ratio;
    case MaskStrategy::kGeneralize: return step == o.step;
    default: return true;
  }
}

std::string MaskRule::to_json() const {
  json out = {{"type", mask_strategy_name(strategy)}};
  switch (strategy) {
    case MaskStrategy::kPartial: out["prefix"] = prefix; out["suffix"] = suffix; break;
    case MaskStrategy::kRandomInt: out["min"] = min; out["max"] = max; break;
    case MaskStrategy::kConstant: out["value"] = value; break;
    case MaskStrategy::kNoise: out["ratio"] = ratio; break;
    case MaskStrategy::kGeneralize:
      if (is_date_unit(step)) out["step"] = step; else out["step"] = json::parse(step);
      break;
    default: break;
  }
  return out.dump();
}

bool is_deterministic(MaskStrategy s) {
  return s != MaskStrategy::kRandomInt && s != MaskStrategy::kNoise && s != MaskStrategy::kShuffle;
}

bool keeps_distinct(MaskStrategy s) { return s == MaskStrategy::kHash || s == MaskStrategy::kShuffle; }

bool needs_agent_key(MaskStrategy s) { return s == MaskStrategy::kPseudonym; }

bool is_per_row(MaskStrategy s) { return s != MaskStrategy::kShuffle; }

bool is_date_unit(std::string_view step) {
  static const std::set<std::string_view> kUnits{"minute", "hour", "day", "week", "month", "quarter", "year", "decade"};
  return kUnits.count(step) > 0;
}

ColumnMasks column_masks_from_json(const json& value, const std::string& option, const std::string& table) {
  if (!value.is_object()) {
    invalid(option, "option \"" + option + "\"" + (table.empty() ? "" : ", table \"" + table + "\"") +
                        ": must be an object of {column: strategy}");
  }
  ColumnMasks out;
  for (const auto& [column, rule] : value.items()) {
    if (column.empty()) invalid(option, "option \"" + option + "\": a column name must not be empty");
    out[column] = rule_from_json(rule, option, where_of(option, table, column));
  }
  return out;
}

ColumnMasks parse_column_masks(std::string_view text, const std::string& option) {
  return column_masks_from_json(parse_limited(text, option), option);
}

MaskSpec mask_spec_from_json(const json& value, const std::string& option) {
  if (!value.is_object())
    invalid(option, "option \"" + option + "\" must be an object of {\"table\" or \"schema.table\": {column: strategy}}");
  MaskSpec spec;
  for (const auto& [table, columns] : value.items()) {
    if (table == "from_policies") {
      if (!columns.is_boolean()) invalid(option, "option \"" + option + "\": \"from_policies\" must be a boolean");
      spec.from_policies = columns.get<bool>();
      continue;
    }
    if (table.empty()) invalid(option, "option \"" + option + "\": a table name must not be empty");
    spec.tables[table] = column_masks_from_json(columns, option, table);
  }
  return spec;
}

MaskRule parse_mask_rule(std::string_view text, const std::string& option, const std::string& column) {
  return rule_from_json(parse_limited(text, option), option, "option \"" + option + "\": column \"" + column + "\"");
}

}  // namespace pgclone::protocol
