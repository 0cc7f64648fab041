#pragma once
// Mask rules: what the "mask" and "masks" options and the masking functions
// (mask_in_place, create_masking_policy) say should happen to a column, parsed
// and checked for shape. Whether a rule fits a column (its type, length,
// NOT NULL, keys) is decided in mask_sql.h, which also writes the SQL.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace pgclone::protocol {

enum class MaskStrategy {
  kEmail,       // a***@domain
  kName,        // XXXX
  kPhone,       // ***-1234
  kPartial,     // first p chars, ***, last s chars
  kHash,        // 32 hex digits: HMAC-SHA-256 with the agent's key (md5 where no key can go)
  kNull,        // NULL
  kRandomInt,   // random integer in [min, max]
  kConstant,    // one value for every row, NULL rows included
  kPseudonym,   // keyed, deterministic, keeps the type and shape
  kNoise,       // numbers and dates moved by up to ratio
  kGeneralize,  // numbers to buckets of step, dates truncated to step
  kShuffle,     // the column's values permuted among the rows
};

const char* mask_strategy_name(MaskStrategy strategy);

struct MaskRule {
  MaskStrategy strategy = MaskStrategy::kNull;
  int prefix = 1, suffix = 1;                  // partial
  std::int64_t min = 0, max = 99999;           // random_int
  std::string value = "REDACTED";              // constant
  double ratio = 0.1;                          // noise: fraction of the value (of a year for dates)
  std::string step;                            // generalize: a positive number, or a date unit
  bool operator==(const MaskRule& other) const;
  bool operator!=(const MaskRule& other) const { return !(*this == other); }
  // {"type": ..., parameters}: how notices, reports and recorded policies show it.
  std::string to_json() const;
};

// Same input, same output (in every table and run): may sit on a key that
// foreign keys reference, and is carried over to them.
bool is_deterministic(MaskStrategy strategy);
// Distinct inputs stay distinct, so a UNIQUE or PRIMARY KEY column keeps its
// guarantee: hash (128 bits of HMAC) and shuffle (a permutation).
bool keeps_distinct(MaskStrategy strategy);
// Needs the agent's key, which never goes to the target: not available in
// the target database (mask_in_place, masking views).
bool needs_agent_key(MaskStrategy strategy);
// Not a per-row expression (shuffle).
bool is_per_row(MaskStrategy strategy);

// Date units generalize accepts as a step (date_trunc's, from minute up).
bool is_date_unit(std::string_view step);

// column -> rule, in column-name order.
using ColumnMasks = std::map<std::string, MaskRule>;

// What "masks" says: per table ("table" or "schema.table", as written), and
// whether to take the masks of the source's recorded masking policies.
struct MaskSpec {
  std::map<std::string, ColumnMasks> tables;
  bool from_policies = false;
  bool empty() const { return tables.empty() && !from_policies; }
};

// Parse {column: "strategy" | {"type": "strategy", parameters...}}. `option`
// names the option in messages ("mask", "masks", "mask_json"); `table` the
// table the columns belong to ("" when it goes without saying). Throws
// OptionsError (22023) naming the column, strategy or parameter.
ColumnMasks column_masks_from_json(const nlohmann::json& value, const std::string& option,
                                   const std::string& table = "");
// The same from JSON text (mask_in_place, create_masking_policy).
ColumnMasks parse_column_masks(std::string_view text, const std::string& option);
// {"table" | "schema.table": {column: ...}, "from_policies": bool}.
MaskSpec mask_spec_from_json(const nlohmann::json& value, const std::string& option);
// A rule from the text to_json() wrote (recorded policies).
MaskRule parse_mask_rule(std::string_view text, const std::string& option, const std::string& column);

}  // namespace pgclone::protocol
