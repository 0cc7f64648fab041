#pragma once
// Masks as SQL: whether a rule can produce a value a column holds, and the
// expression that produces it. The same text runs on a source server inside
// COPY (SELECT ...) (plain SQL of PostgreSQL 11 or later, no extension there),
// in masking views and in mask_in_place on the target.

#include <optional>
#include <string>

#include "pgclone/protocol/mask_rules.h"

namespace pgclone::protocol {

// A column as the checks and expressions need it, read from the catalog of
// the server the expression runs on.
struct MaskColumn {
  std::string name;       // raw
  std::string type;       // format_type(atttypid, atttypmod), schema-qualified where needed
  char category = 'U';    // pg_type.typcategory of the base type (domains stripped)
  std::string base_type;  // pg_type.typname of the base type: int4, varchar, date, ...
  int char_limit = -1;    // n of varchar(n) / char(n); -1 without one
  bool not_null = false;
};

// Where the key of keyed strategies comes from. The agent passes its key to
// its source sessions in these two settings (set in the startup packet, so no
// statement log shows them): HMAC-SHA-256's inner and outer padded keys, hex.
enum class KeyUse {
  kSessionKey,  // HMAC with the session's pgclone_mask.* settings
  kNoKey,       // the target database: hash is md5; pseudonym is not available
};
inline constexpr const char* kMaskInnerKeySetting = "pgclone_mask.inner";
inline constexpr const char* kMaskOuterKeySetting = "pgclone_mask.outer";

// Why `rule` cannot fill `column` (wrong type, too long for it, NULL into NOT
// NULL, a key it needs but cannot have); nullopt when it can. Data-dependent
// lengths (email) are checked against the data instead, see
// masked_length_expression.
std::optional<std::string> mask_unfit_reason(const MaskRule& rule, const MaskColumn& column, KeyUse key);

// Why `rule` cannot go on a column of a PRIMARY KEY, UNIQUE constraint or
// unique index (its values would collide); nullopt when it keeps them distinct.
std::optional<std::string> unique_key_reason(const MaskRule& rule);

// True when the longest masked value depends on the data: the column has a
// length limit and the strategy's output can outgrow its input (email).
bool masked_length_depends_on_data(const MaskRule& rule, const MaskColumn& column);

// The masked value of `column_sql` (an expression reading the original value,
// usually the quoted column name), cast to the column's type. A per-row rule
// only (not shuffle). The rule must fit (mask_unfit_reason).
std::string mask_expression(const MaskRule& rule, const MaskColumn& column, const std::string& column_sql,
                            KeyUse key);

// length() of the masked value before the cast (which would cut it to the
// column's length): max() of it over the table must stay within char_limit.
std::string masked_length_expression(const MaskRule& rule, const MaskColumn& column, const std::string& column_sql,
                                     KeyUse key);

}  // namespace pgclone::protocol
