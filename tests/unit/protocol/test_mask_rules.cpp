// Mask rules as the "mask"/"masks" options and the masking functions give
// them: parsing, the exact 22023 messages of every refusal, defaults, the
// JSON they are shown and recorded as, and the strategies' properties.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/mask_rules.h"

namespace pgclone::protocol {
namespace {

using nlohmann::json;

constexpr const char* kStrategyList =
    "The strategies are email, name, phone, partial, hash, null, random_int, constant, pseudonym, noise, "
    "generalize and shuffle.";

// The error column_masks_from_json throws for `masks` (JSON text) under
// option "mask" (or `option`), table `table`.
OptionsError masks_error(const std::string& masks, const std::string& option = "mask", const std::string& table = "") {
  try {
    column_masks_from_json(json::parse(masks), option, table);
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError for " << masks;
  return OptionsError("", "", "");
}

OptionsError spec_error(const std::string& spec) {
  try {
    mask_spec_from_json(json::parse(spec), "masks");
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError for " << spec;
  return OptionsError("", "", "");
}

OptionsError text_error(const std::string& text) {
  try {
    parse_column_masks(text, "mask_json");
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError for " << text;
  return OptionsError("", "", "");
}

MaskRule rule_of(const std::string& rule_json) {
  return column_masks_from_json(json::parse("{\"c\": " + rule_json + "}"), "mask").at("c");
}

// The message for parameter trouble of column "c" under option "mask".
std::string at_c(const std::string& rest) { return "option \"mask\": column \"c\": " + rest; }

TEST(MaskRules, EveryStrategyParsesByName) {
  const std::pair<const char*, MaskStrategy> names[] = {
      {"email", MaskStrategy::kEmail},         {"name", MaskStrategy::kName},
      {"phone", MaskStrategy::kPhone},         {"partial", MaskStrategy::kPartial},
      {"hash", MaskStrategy::kHash},           {"null", MaskStrategy::kNull},
      {"random_int", MaskStrategy::kRandomInt}, {"constant", MaskStrategy::kConstant},
      {"pseudonym", MaskStrategy::kPseudonym}, {"noise", MaskStrategy::kNoise},
      {"shuffle", MaskStrategy::kShuffle},
  };
  for (const auto& [name, strategy] : names) {
    EXPECT_EQ(rule_of(std::string("\"") + name + "\"").strategy, strategy) << name;
    EXPECT_EQ(rule_of(std::string("{\"type\": \"") + name + "\"}").strategy, strategy) << name;
    EXPECT_STREQ(mask_strategy_name(strategy), name);
  }
  EXPECT_EQ(rule_of(R"({"type": "generalize", "step": "month"})").strategy, MaskStrategy::kGeneralize);
  EXPECT_STREQ(mask_strategy_name(MaskStrategy::kGeneralize), "generalize");
}

TEST(MaskRules, DefaultsOfTheParameters) {
  const MaskRule partial = rule_of("\"partial\"");
  EXPECT_EQ(partial.prefix, 1);
  EXPECT_EQ(partial.suffix, 1);
  const MaskRule range = rule_of("\"random_int\"");
  EXPECT_EQ(range.min, 0);
  EXPECT_EQ(range.max, 99999);
  EXPECT_EQ(rule_of("\"constant\"").value, "REDACTED");
  EXPECT_DOUBLE_EQ(rule_of("\"noise\"").ratio, 0.1);
  // One given, the other keeps its default.
  const MaskRule prefix_only = rule_of(R"({"type": "partial", "prefix": 3})");
  EXPECT_EQ(prefix_only.prefix, 3);
  EXPECT_EQ(prefix_only.suffix, 1);
  const MaskRule max_only = rule_of(R"({"type": "random_int", "max": 7})");
  EXPECT_EQ(max_only.min, 0);
  EXPECT_EQ(max_only.max, 7);
}

TEST(MaskRules, ParametersAreRead) {
  const MaskRule partial = rule_of(R"({"type": "partial", "prefix": 0, "suffix": 1000})");
  EXPECT_EQ(partial.prefix, 0);
  EXPECT_EQ(partial.suffix, 1000);
  const MaskRule range = rule_of(R"({"type": "random_int", "min": -9223372036854775808, "max": 9223372036854775807})");
  EXPECT_EQ(range.min, INT64_MIN);
  EXPECT_EQ(range.max, INT64_MAX);
  EXPECT_EQ(rule_of(R"({"type": "random_int", "min": 5, "max": 5})").min, 5);  // one value is a range
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": "it's"})").value, "it's");
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": 42})").value, "42");
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": 1.5})").value, "1.5");
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": true})").value, "true");
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": ""})").value, "");
  EXPECT_DOUBLE_EQ(rule_of(R"({"type": "noise", "ratio": 10})").ratio, 10.0);
  EXPECT_DOUBLE_EQ(rule_of(R"({"type": "noise", "ratio": 0.25})").ratio, 0.25);
  EXPECT_EQ(rule_of(R"({"type": "generalize", "step": 10})").step, "10");
  EXPECT_EQ(rule_of(R"({"type": "generalize", "step": 0.5})").step, "0.5");
  for (const char* unit : {"minute", "hour", "day", "week", "month", "quarter", "year", "decade"})
    EXPECT_EQ(rule_of(std::string(R"({"type": "generalize", "step": ")") + unit + "\"}").step, unit);
}

TEST(MaskRules, UnknownStrategyIsNamedWithTheList) {
  OptionsError e = masks_error(R"({"c": "scramble"})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "mask");
  EXPECT_STREQ(e.what(), "option \"mask\": column \"c\": unknown mask strategy \"scramble\"");
  EXPECT_EQ(e.hint, kStrategyList);
  // In an object, and under "masks" with the table named.
  e = masks_error(R"({"email": {"type": "Hash"}})", "masks", "public.t");
  EXPECT_EQ(e.key, "masks");
  EXPECT_STREQ(e.what(), "option \"masks\": table \"public.t\", column \"email\": unknown mask strategy \"Hash\"");
  EXPECT_EQ(e.hint, kStrategyList);
}

TEST(MaskRules, MaskShapeErrors) {
  OptionsError e = masks_error(R"({"c": 5})");
  EXPECT_STREQ(e.what(), at_c("a mask must be a strategy name or an object with a \"type\"").c_str());
  e = masks_error(R"({"c": ["hash"]})");
  EXPECT_STREQ(e.what(), at_c("a mask must be a strategy name or an object with a \"type\"").c_str());
  e = masks_error(R"({"c": null})");
  EXPECT_STREQ(e.what(), at_c("a mask must be a strategy name or an object with a \"type\"").c_str());
  e = masks_error(R"({"c": {"prefix": 2}})");
  EXPECT_STREQ(e.what(), at_c("a mask object needs a \"type\" naming its strategy").c_str());
  EXPECT_EQ(e.hint, kStrategyList);
  e = masks_error(R"({"c": {"type": 3}})");
  EXPECT_STREQ(e.what(), at_c("a mask object needs a \"type\" naming its strategy").c_str());

  e = masks_error(R"(["c"])");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_STREQ(e.what(), "option \"mask\": must be an object of {column: strategy}");
  e = masks_error(R"("hash")", "masks", "t");
  EXPECT_STREQ(e.what(), "option \"masks\", table \"t\": must be an object of {column: strategy}");
  e = masks_error(R"({"": "hash"})");
  EXPECT_STREQ(e.what(), "option \"mask\": a column name must not be empty");
}

TEST(MaskRules, UnknownParametersAreNamed) {
  OptionsError e = masks_error(R"({"c": {"type": "partial", "prefx": 2}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_STREQ(e.what(), at_c("unknown parameter \"prefx\" for mask strategy \"partial\"").c_str());
  EXPECT_EQ(e.hint, "");
  e = masks_error(R"({"c": {"type": "hash", "salt": "x"}})");
  EXPECT_STREQ(e.what(), at_c("unknown parameter \"salt\" for mask strategy \"hash\"").c_str());
  EXPECT_EQ(e.hint, "Strategy \"hash\" takes no parameters.");
  // A parameter of another strategy is unknown here too.
  e = masks_error(R"({"c": {"type": "noise", "step": 10}})");
  EXPECT_STREQ(e.what(), at_c("unknown parameter \"step\" for mask strategy \"noise\"").c_str());
  e = masks_error(R"({"c": {"type": "random_int", "value": 1}})");
  EXPECT_STREQ(e.what(), at_c("unknown parameter \"value\" for mask strategy \"random_int\"").c_str());
}

TEST(MaskRules, WrongParameterTypes) {
  EXPECT_STREQ(masks_error(R"({"c": {"type": "partial", "prefix": "2"}})").what(),
               at_c("parameter \"prefix\" must be an integer").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "partial", "suffix": 1.5}})").what(),
               at_c("parameter \"suffix\" must be an integer").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "random_int", "min": null}})").what(),
               at_c("parameter \"min\" must be an integer").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "random_int", "max": 1e3}})").what(),
               at_c("parameter \"max\" must be an integer").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "constant", "value": null}})").what(),
               at_c("parameter \"value\" must be a string, a number or a boolean").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "constant", "value": ["a"]}})").what(),
               at_c("parameter \"value\" must be a string, a number or a boolean").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "noise", "ratio": "0.1"}})").what(),
               at_c("parameter \"ratio\" must be a number").c_str());
  OptionsError e = masks_error(R"({"c": {"type": "generalize", "step": "fortnight"}})");
  EXPECT_STREQ(e.what(), at_c("parameter \"step\" must be a positive number or a date unit").c_str());
  EXPECT_EQ(e.hint, "Date units are minute, hour, day, week, month, quarter, year and decade.");
  e = masks_error(R"({"c": {"type": "generalize", "step": true}})");
  EXPECT_STREQ(e.what(), at_c("parameter \"step\" must be a positive number or a date unit").c_str());
  // Units are date_trunc's, lower-case, from minute up.
  EXPECT_STREQ(masks_error(R"({"c": {"type": "generalize", "step": "Month"}})").what(),
               at_c("parameter \"step\" must be a positive number or a date unit").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "generalize", "step": "second"}})").what(),
               at_c("parameter \"step\" must be a positive number or a date unit").c_str());
}

TEST(MaskRules, OutOfRangeParameters) {
  EXPECT_STREQ(masks_error(R"({"c": {"type": "partial", "prefix": -1}})").what(),
               at_c("parameter \"prefix\" must be between 0 and 1000").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "partial", "suffix": 1001}})").what(),
               at_c("parameter \"suffix\" must be between 0 and 1000").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "partial", "prefix": 4294967298}})").what(),
               at_c("parameter \"prefix\" must be between 0 and 1000").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "random_int", "min": 5, "max": 1}})").what(),
               at_c("parameter \"min\" (5) is greater than \"max\" (1)").c_str());
  // The default max (99999) counts too.
  EXPECT_STREQ(masks_error(R"({"c": {"type": "random_int", "min": 100000}})").what(),
               at_c("parameter \"min\" (100000) is greater than \"max\" (99999)").c_str());
  // Beyond a bigint: refused, not wrapped around to a negative number.
  EXPECT_STREQ(masks_error(R"({"c": {"type": "random_int", "max": 9223372036854775808}})").what(),
               at_c("parameter \"max\" is out of range for type bigint").c_str());
  EXPECT_STREQ(masks_error(R"({"c": {"type": "random_int", "min": 18446744073709551615}})").what(),
               at_c("parameter \"min\" is out of range for type bigint").c_str());
  for (const char* ratio : {"0", "-0.5", "10.01"}) {
    EXPECT_STREQ(masks_error(std::string(R"({"c": {"type": "noise", "ratio": )") + ratio + "}}").what(),
                 at_c("parameter \"ratio\" must be greater than 0 and at most 10").c_str())
        << ratio;
  }
  for (const char* step : {"0", "-5", "-0.5"}) {
    OptionsError e = masks_error(std::string(R"({"c": {"type": "generalize", "step": )") + step + "}}");
    EXPECT_STREQ(e.what(), at_c("parameter \"step\" must be a positive number or a date unit").c_str()) << step;
  }
  OptionsError e = masks_error(R"({"c": {"type": "constant", "value": ")" + std::string(10001, 'x') + "\"}}");
  EXPECT_STREQ(e.what(), at_c("parameter \"value\" is longer than 10000 bytes").c_str());
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": ")" + std::string(10000, 'x') + "\"}").value.size(), 10000u);
  EXPECT_STREQ(masks_error(R"({"c": {"type": "constant", "value": "a\u0000b"}})").what(),
               at_c("parameter \"value\" must not contain a zero byte").c_str());
}

TEST(MaskRules, GeneralizeNeedsAStep) {
  OptionsError e = masks_error(R"({"c": "generalize"})");
  EXPECT_STREQ(e.what(), at_c("mask strategy \"generalize\" needs a \"step\"").c_str());
  EXPECT_EQ(e.hint, "Write {\"type\": \"generalize\", \"step\": \"month\"} or a positive number as the step.");
  e = masks_error(R"({"c": {"type": "generalize"}})");
  EXPECT_STREQ(e.what(), at_c("mask strategy \"generalize\" needs a \"step\"").c_str());
  EXPECT_EQ(e.hint, "Give a positive number (buckets of numbers) or a date unit such as \"month\".");
}

TEST(MaskRules, ColumnsKeepTheirRulesInNameOrder) {
  const ColumnMasks masks =
      column_masks_from_json(json::parse(R"({"z": "hash", "a": "email", "Mixed Case": "null"})"), "mask");
  ASSERT_EQ(masks.size(), 3u);
  auto it = masks.begin();
  EXPECT_EQ(it->first, "Mixed Case");
  EXPECT_EQ((++it)->first, "a");
  EXPECT_EQ((++it)->first, "z");
  EXPECT_EQ(masks.at("a").strategy, MaskStrategy::kEmail);
  EXPECT_TRUE(column_masks_from_json(json::parse("{}"), "mask").empty());
}

TEST(MaskRules, SpecTakesTableKeysAndFromPolicies) {
  const MaskSpec spec = mask_spec_from_json(
      json::parse(R"({"customers": {"email": "email"}, "sales.orders": {"note": "null", "total": "noise"}})"), "masks");
  EXPECT_FALSE(spec.from_policies);
  EXPECT_FALSE(spec.empty());
  ASSERT_EQ(spec.tables.size(), 2u);
  EXPECT_EQ(spec.tables.at("customers").at("email").strategy, MaskStrategy::kEmail);
  EXPECT_EQ(spec.tables.at("sales.orders").size(), 2u);
  EXPECT_EQ(spec.tables.at("sales.orders").at("total").strategy, MaskStrategy::kNoise);

  const MaskSpec policies = mask_spec_from_json(json::parse(R"({"from_policies": true})"), "masks");
  EXPECT_TRUE(policies.from_policies);
  EXPECT_TRUE(policies.tables.empty());
  EXPECT_FALSE(policies.empty());
  const MaskSpec off = mask_spec_from_json(json::parse(R"({"from_policies": false})"), "masks");
  EXPECT_FALSE(off.from_policies);
  EXPECT_TRUE(off.empty());
  EXPECT_TRUE(mask_spec_from_json(json::parse("{}"), "masks").empty());
}

TEST(MaskRules, SpecErrors) {
  OptionsError e = spec_error(R"([])");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "masks");
  EXPECT_STREQ(e.what(), "option \"masks\" must be an object of {\"table\" or \"schema.table\": {column: strategy}}");
  EXPECT_STREQ(spec_error(R"({"from_policies": "yes"})").what(),
               "option \"masks\": \"from_policies\" must be a boolean");
  EXPECT_STREQ(spec_error(R"({"": {"c": "hash"}})").what(), "option \"masks\": a table name must not be empty");
  EXPECT_STREQ(spec_error(R"({"t": "hash"})").what(),
               "option \"masks\", table \"t\": must be an object of {column: strategy}");
  // A rule's error names its table.
  EXPECT_STREQ(spec_error(R"({"s.t": {"c": {"type": "partial", "prefix": -1}}})").what(),
               "option \"masks\": table \"s.t\", column \"c\": parameter \"prefix\" must be between 0 and 1000");
}

TEST(MaskRules, JsonTextErrors) {
  OptionsError e = text_error("{\"c\": ");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "mask_json");
  EXPECT_EQ(std::string(e.what()).rfind("invalid JSON in argument \"mask_json\": ", 0), 0u) << e.what();
  EXPECT_STREQ(text_error(std::string(kMaxOptionsBytes + 1, ' ')).what(), "argument \"mask_json\" is too long");
  std::string deep = "{\"c\": ";
  for (int i = 0; i < kMaxOptionsDepth + 1; ++i) deep += "[";
  EXPECT_STREQ(text_error(deep).what(), "argument \"mask_json\" is nested too deeply");
  EXPECT_STREQ(text_error("[]").what(), "option \"mask_json\": must be an object of {column: strategy}");
  EXPECT_EQ(parse_column_masks(R"({"email": "email"})", "mask_json").at("email").strategy, MaskStrategy::kEmail);
}

TEST(MaskRules, ToJsonShowsTheParametersOfTheStrategy) {
  EXPECT_EQ(rule_of("\"hash\"").to_json(), R"({"type":"hash"})");
  EXPECT_EQ(rule_of("\"partial\"").to_json(), R"({"prefix":1,"suffix":1,"type":"partial"})");
  EXPECT_EQ(rule_of(R"({"type": "random_int", "min": -3, "max": 4})").to_json(), R"({"max":4,"min":-3,"type":"random_int"})");
  EXPECT_EQ(rule_of(R"({"type": "constant", "value": 42})").to_json(), R"({"type":"constant","value":"42"})");
  EXPECT_EQ(rule_of(R"({"type": "noise", "ratio": 0.25})").to_json(), R"({"ratio":0.25,"type":"noise"})");
  EXPECT_EQ(rule_of(R"({"type": "generalize", "step": "month"})").to_json(), R"({"step":"month","type":"generalize"})");
  EXPECT_EQ(rule_of(R"({"type": "generalize", "step": 100})").to_json(), R"({"step":100,"type":"generalize"})");
  EXPECT_EQ(rule_of(R"({"type": "generalize", "step": 0.5})").to_json(), R"({"step":0.5,"type":"generalize"})");
}

TEST(MaskRules, ToJsonReadsBackAsTheSameRule) {
  for (const char* text : {R"("email")", R"("name")", R"("phone")", R"({"type": "partial", "prefix": 0, "suffix": 4})",
                           R"("hash")", R"("null")", R"({"type": "random_int", "min": -9223372036854775808, "max": 0})",
                           R"({"type": "constant", "value": "it's \"quoted\" \\ é"})", R"({"type": "constant", "value": false})",
                           R"("pseudonym")", R"({"type": "noise", "ratio": 0.3333333333333333})",
                           R"({"type": "generalize", "step": "quarter"})", R"({"type": "generalize", "step": 2.5})",
                           R"("shuffle")"}) {
    const MaskRule rule = rule_of(text);
    const MaskRule back = parse_mask_rule(rule.to_json(), "masks", "c");
    EXPECT_EQ(back, rule) << text << " -> " << rule.to_json();
    EXPECT_EQ(back.to_json(), rule.to_json());
  }
  OptionsError e("", "", "");
  try {
    parse_mask_rule(R"({"type": "nope"})", "policy", "email");
  } catch (const OptionsError& caught) {
    e = caught;
  }
  EXPECT_STREQ(e.what(), "option \"policy\": column \"email\": unknown mask strategy \"nope\"");
}

TEST(MaskRules, EqualityComparesOnlyTheStrategysOwnParameters) {
  MaskRule a = rule_of("\"hash\""), b = rule_of("\"hash\"");
  b.prefix = 7;  // not a parameter of hash
  EXPECT_EQ(a, b);
  EXPECT_NE(rule_of("\"hash\""), rule_of("\"email\""));
  EXPECT_NE(rule_of(R"({"type": "partial", "prefix": 2})"), rule_of(R"({"type": "partial", "prefix": 3})"));
  EXPECT_NE(rule_of(R"({"type": "random_int", "max": 2})"), rule_of(R"({"type": "random_int", "max": 3})"));
  EXPECT_NE(rule_of(R"({"type": "constant", "value": "a"})"), rule_of(R"({"type": "constant", "value": "b"})"));
  EXPECT_NE(rule_of(R"({"type": "noise", "ratio": 0.1})"), rule_of(R"({"type": "noise", "ratio": 0.2})"));
  EXPECT_NE(rule_of(R"({"type": "generalize", "step": "day"})"), rule_of(R"({"type": "generalize", "step": "month"})"));
}

TEST(MaskRules, StrategyProperties) {
  struct Expect {
    MaskStrategy s;
    bool deterministic, distinct, agent_key, per_row;
  };
  const Expect table[] = {
      {MaskStrategy::kEmail, true, false, false, true},      {MaskStrategy::kName, true, false, false, true},
      {MaskStrategy::kPhone, true, false, false, true},      {MaskStrategy::kPartial, true, false, false, true},
      {MaskStrategy::kHash, true, true, false, true},        {MaskStrategy::kNull, true, false, false, true},
      {MaskStrategy::kRandomInt, false, false, false, true}, {MaskStrategy::kConstant, true, false, false, true},
      {MaskStrategy::kPseudonym, true, false, true, true},   {MaskStrategy::kNoise, false, false, false, true},
      {MaskStrategy::kGeneralize, true, false, false, true}, {MaskStrategy::kShuffle, false, true, false, false},
  };
  for (const Expect& e : table) {
    const char* name = mask_strategy_name(e.s);
    EXPECT_EQ(is_deterministic(e.s), e.deterministic) << name;
    EXPECT_EQ(keeps_distinct(e.s), e.distinct) << name;
    EXPECT_EQ(needs_agent_key(e.s), e.agent_key) << name;
    EXPECT_EQ(is_per_row(e.s), e.per_row) << name;
  }
}

TEST(MaskRules, DateUnits) {
  for (const char* unit : {"minute", "hour", "day", "week", "month", "quarter", "year", "decade"})
    EXPECT_TRUE(is_date_unit(unit)) << unit;
  for (const char* other : {"", "second", "microseconds", "century", "millennium", "MONTH", "months", "10"})
    EXPECT_FALSE(is_date_unit(other)) << other;
}

}  // namespace
}  // namespace pgclone::protocol
