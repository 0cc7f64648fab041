#pragma once
// Sensitive columns: what a column's name, or a sample of its values, says it
// holds (e-mail addresses, phone numbers, people's names, ...), and the mask
// that suits it. One set of rules for discover_sensitive (the agent: names and
// values sampled on the source) and masking_report (the extension: names).
// Pure functions: no database, no values kept.

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/protocol/mask_rules.h"
#include "pgclone/protocol/mask_sql.h"

namespace pgclone::protocol {

enum class SensitiveKind {
  kEmail,
  kPhone,
  kPersonName,
  kNationalId,  // SSN, passport, tax id, ...
  kCardNumber,  // payment cards, IBANs, account numbers
  kMoney,       // salary, income, ...
  kIpAddress,
  kBirthDate,
  kAddress,
  kSecret,      // passwords, tokens
};
inline constexpr std::size_t kSensitiveKinds = 10;

// "email", "phone", "person_name", "national_id", "card_number", "money",
// "ip_address", "birth_date", "address", "secret": the sensitivity that
// masking_report shows.
const char* sensitive_kind_name(SensitiveKind kind);

// ---- names ------------------------------------------------------------------

// The kind a column name announces ("email", "customer_email", "firstName",
// "date_of_birth", ...), by its words; nullopt for any other name.
std::optional<SensitiveKind> sensitive_kind_of_name(std::string_view column_name);

// ---- values -----------------------------------------------------------------

bool looks_like_email(std::string_view value);
// 7 to 15 digits, with an optional leading +, spaces, dashes, dots or
// parentheses; not a date, a decimal number or an IPv4 address.
bool looks_like_phone(std::string_view value);
// The Luhn checksum of a digit string (false for anything but digits).
bool passes_luhn(std::string_view digits);
// 13 to 19 digits (spaces and dashes between them allowed) passing Luhn.
bool looks_like_card_number(std::string_view value);
// A US social security number (###-##-####, not an impossible one) or a UK
// national insurance number.
bool looks_like_national_id(std::string_view value);
// IPv4 or IPv6, optionally with a /prefix length.
bool looks_like_ip_address(std::string_view value);
// Two or three capitalised words ("Ada Lovelace", "Mary Anne O'Brien").
bool looks_like_person_name(std::string_view value);

// Share of a column's sampled values that must have one shape for the
// column to count as holding that kind.
inline constexpr double kMajorityShare = 0.8;

// Counts the shapes of a column's sampled non-null values.
class ValueTally {
 public:
  void add(std::string_view value);
  std::size_t values() const { return total_; }
  // The kind at least `share` of the values have (the most specific when
  // several: email, card number, national id, IP address, phone, name);
  // nullopt without values.
  std::optional<SensitiveKind> majority(double share = kMajorityShare) const;

 private:
  std::size_t total_ = 0;
  std::array<std::size_t, kSensitiveKinds> counts_{};
};

// ---- masks ------------------------------------------------------------------

// A column as the recommendation needs it.
struct SensitiveColumn {
  MaskColumn column;
  bool unique_key = false;   // in a PRIMARY KEY, UNIQUE constraint or unique index
  bool foreign_key = false;  // in a foreign key: it takes the mask of the key it references
  bool generated = false;    // generated from other columns: mask those instead
  // Foreign key columns referencing this one: a mask on it is carried over
  // to them, so it must fit them too.
  std::vector<MaskColumn> referencing;
};

// Masks that suit `kind`, best first, before any fit check.
std::vector<MaskRule> mask_candidates(SensitiveKind kind, const MaskColumn& column);

// Asked about a candidate that fits the column's type and constraints, when
// the fit also depends on the data (a value too long for varchar(n), a number
// the noise would push out of its type's range).
using DataCheck = std::function<bool(const MaskRule&)>;

// The first candidate a clone (key = kSessionKey) or the database's own
// masking (kNoKey) would accept for the column: it fits the type, NOT NULL
// and length (mask_unfit_reason), keeps a key's values distinct and
// deterministic (only "hash"), fits every referencing column, and passes
// `data_fits` when given. nullopt for a foreign key or generated column, or
// when nothing fits.
std::optional<MaskRule> recommend_mask(SensitiveKind kind, const SensitiveColumn& column, KeyUse key,
                                       const DataCheck& data_fits = {});

// The rule as the "masks" option writes it: "email" for a strategy without
// parameters, {"type": "partial", "prefix": 0, "suffix": 4} otherwise.
std::string mask_rule_json(const MaskRule& rule);

}  // namespace pgclone::protocol
