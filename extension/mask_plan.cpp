// Pure C++: see mask_plan.h. Every refusal here is 22023 naming the table,
// the column and the reason, worded as masked clones word them.
#include "cxx_only.h"

#include "mask_plan.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/mask_rules.h"
#include "pgclone/protocol/mask_sql.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

static_assert(std::is_trivially_destructible_v<MaskPlan> && std::is_trivially_copyable_v<MaskPlan>,
              "MaskPlan crosses into the PostgreSQL frame: no destructors allowed");

constexpr const char* kOption = "mask_json";

struct Refusal {
  std::string sqlstate, message, detail, hint;
};

struct ColumnStorage {
  std::string expression, length_check, type_check, rule_json;
};

// Lives as long as the backend; reused by every plan.
struct Storage {
  Refusal error;
  std::vector<ColumnStorage> strings;
  std::vector<MaskedColumnPlan> columns;
  std::string masks_json;
};

Storage* storage() {
  static Storage* instance = new Storage();  // never destroyed
  return instance;
}

[[noreturn]] void refuse(std::string message, std::string hint = {}) {
  throw Refusal{proto::sqlstate::kInvalidParameterValue, std::move(message), "", std::move(hint)};
}

proto::MaskColumn mask_column(const MaskPlanColumn& c) {
  proto::MaskColumn out;
  out.name = c.name;
  out.type = c.type;
  out.category = c.category;
  out.base_type = c.base_type;
  out.char_limit = c.char_limit;
  out.not_null = c.not_null;
  return out;
}

// SELECT of the literal values a rule writes regardless of the data, cast to
// the column's type: the server's cast says whether the type accepts them.
std::string type_check_sql(const proto::MaskRule& rule, const proto::MaskColumn& column) {
  std::vector<std::string> literals;
  if (rule.strategy == proto::MaskStrategy::kConstant) literals.push_back(rule.value);
  if (rule.strategy == proto::MaskStrategy::kRandomInt && column.category == 'N') {
    literals.push_back(std::to_string(rule.min));
    literals.push_back(std::to_string(rule.max));
  }
  if (literals.empty()) return "";
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < literals.size(); ++i) {
    proto::MaskRule constant;
    constant.strategy = proto::MaskStrategy::kConstant;
    constant.value = literals[i];
    sql += (i ? ", " : "") + proto::mask_expression(constant, column, "NULL", proto::KeyUse::kNoKey);
  }
  return sql;
}

class Planner {
 public:
  Planner(const char* table, const MaskPlanColumn* columns, int ncolumns, MaskUse use)
      : table_(table), columns_(columns), ncolumns_(ncolumns), use_(use) {}

  void run(const char* mask_json, Storage& out) {
    const proto::ColumnMasks masks = proto::parse_column_masks(mask_json, kOption);
    if (masks.empty()) refuse("option \"mask_json\" must name at least one column", "Write {\"column\": \"strategy\", ...}.");
    nlohmann::json recorded = nlohmann::json::object();
    std::vector<std::pair<int, const proto::MaskRule*>> chosen;
    for (const auto& [name, rule] : masks) {
      const int index = find(name);
      if (index < 0) refuse("option \"mask_json\": column \"" + name + "\" of table " + table_ + " does not exist");
      check(columns_[index], rule);
      chosen.emplace_back(index, &rule);
      recorded[name] = nlohmann::json::parse(rule.to_json());
    }
    std::sort(chosen.begin(), chosen.end());
    for (const auto& [index, rule] : chosen) {
      const MaskPlanColumn& c = columns_[index];
      const proto::MaskColumn column = mask_column(c);
      ColumnStorage s;
      s.expression = proto::mask_expression(*rule, column, c.quoted, proto::KeyUse::kNoKey);
      if (use_ == MaskUse::kInPlace && proto::masked_length_depends_on_data(*rule, column))
        s.length_check = "pg_catalog.max(" +
                         proto::masked_length_expression(*rule, column, c.quoted, proto::KeyUse::kNoKey) + ")";
      s.type_check = type_check_sql(*rule, column);
      s.rule_json = rule->to_json();
      out.strings.push_back(std::move(s));
      out.columns.push_back(MaskedColumnPlan{index, nullptr, nullptr, nullptr, nullptr});
    }
    for (std::size_t i = 0; i < out.columns.size(); ++i) {
      out.columns[i].expression = out.strings[i].expression.c_str();
      out.columns[i].length_check = out.strings[i].length_check.c_str();
      out.columns[i].type_check = out.strings[i].type_check.c_str();
      out.columns[i].rule_json = out.strings[i].rule_json.c_str();
    }
    out.masks_json = recorded.dump();
  }

 private:
  int find(const std::string& name) const {
    for (int i = 0; i < ncolumns_; ++i)
      if (name == columns_[i].name) return i;
    return -1;
  }

  void check(const MaskPlanColumn& c, const proto::MaskRule& rule) const {
    const std::string where = "cannot mask column \"" + std::string(c.name) + "\" of table " + table_ +
                              (use_ == MaskUse::kView ? " in a view" : " in place") + ": ";
    const std::string strategy = proto::mask_strategy_name(rule.strategy);
    if (!proto::is_per_row(rule.strategy)) {
      refuse(where + "mask \"" + strategy + "\" permutes values among rows, which " +
                 (use_ == MaskUse::kView ? "a view computing each row on its own" : "a rewrite of each row") +
                 " cannot do",
             "Use \"hash\" (keeps values distinct) or \"null\".");
    }
    if (auto reason = proto::mask_unfit_reason(rule, mask_column(c), proto::KeyUse::kNoKey)) {
      refuse(where + *reason, rule.strategy == proto::MaskStrategy::kPseudonym
                                  ? "Pseudonyms are made by masked clones, with the agent's key; in the database use "
                                    "\"hash\" (md5, not keyed) or \"partial\"."
                                  : "");
    }
    if (use_ == MaskUse::kView) {
      if (rule.strategy == proto::MaskStrategy::kNoise) {
        refuse(where + "mask \"noise\" would draw new noise on every query, so the average of repeated reads gives "
                       "the real value away",
               "Use \"generalize\" in a masking view: it shows the same bucket on every read.");
      }
      return;
    }
    if (c.generated) {
      refuse(where + "it is a generated column, computed from other columns",
             "Mask the columns it is computed from, after ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION if it must "
             "keep its values.");
    }
    if (c.inherited) {
      refuse(where + "the column is inherited from a parent table",
             "Mask the parent table: its partitions and children are masked with it.");
    }
    if (c.unique_key) {
      if (auto reason = proto::unique_key_reason(rule)) refuse(where + *reason);
    }
    if (c.foreign_key[0] != '\0') {
      refuse(where + "it is part of foreign key \"" + std::string(c.foreign_key) +
                 "\", so the masked values would no longer match their keys",
             "Mask keys and their foreign keys together in a masked clone (pgclone.table or pgclone.schema with "
             "\"masks\"), which carries a key's mask over to the columns that reference it.");
    }
  }

  std::string table_;
  const MaskPlanColumn* columns_;
  int ncolumns_;
  MaskUse use_;
};

MaskPlan failed(Storage& s, const Refusal& r) {
  s.error = r;
  MaskPlan plan{};
  plan.ok = false;
  std::strncpy(plan.sqlstate, s.error.sqlstate.c_str(), 5);
  plan.sqlstate[5] = '\0';
  plan.message = s.error.message.c_str();
  plan.detail = s.error.detail.c_str();
  plan.hint = s.error.hint.c_str();
  plan.masks_json = "";
  return plan;
}

}  // namespace

MaskPlan plan_masks(const char* table, const char* mask_json, const MaskPlanColumn* columns, int ncolumns,
                    MaskUse use) noexcept {
  try {
    Storage& s = *storage();
    s.strings.clear();
    s.columns.clear();
    s.masks_json.clear();
    try {
      Planner(table, columns, ncolumns, use).run(mask_json, s);
    } catch (const Refusal& r) {
      return failed(s, r);
    } catch (const proto::OptionsError& e) {
      return failed(s, Refusal{e.sqlstate, e.what(), e.detail, e.hint});
    }
    MaskPlan plan{};
    plan.ok = true;
    plan.message = plan.detail = plan.hint = "";
    plan.count = static_cast<int>(s.columns.size());
    plan.columns = s.columns.data();
    plan.masks_json = s.masks_json.c_str();
    return plan;
  } catch (const std::exception& e) {
    try {
      return failed(*storage(), Refusal{proto::sqlstate::kInternalError,
                                        std::string("internal error in pgclone: ") + e.what(), "", ""});
    } catch (...) {
    }
  } catch (...) {
  }
  MaskPlan plan{};
  plan.ok = false;
  std::memcpy(plan.sqlstate, "XX000", 6);
  plan.message = "internal error in pgclone: out of memory while planning masks";
  plan.detail = plan.hint = plan.masks_json = "";
  return plan;
}

}  // namespace pgclone::extension
