// Sensitive columns by value: the shapes of single values, and the tally that
// decides what a column's sample holds. Values are looked at and forgotten;
// nothing here keeps one.
#include <arpa/inet.h>

#include <cctype>
#include <string>

#include <re2/re2.h>

#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::protocol {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trimmed(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}


// Compiled once; RE2 is linear in the input, so no value can make it slow.
struct Patterns {
  re2::RE2 email{R"([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63})"};
  re2::RE2 us_ssn{R"((\d{3})-(\d{2})-(\d{4}))"};
  re2::RE2 uk_nino{R"([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])"};
  // Words of a capital and small letters (an O' prefix allowed), inner
  // capitals (McDonald) and hyphens (Smith-Jones) too.
  re2::RE2 person_name{R"((?:\p{Lu}(?:\p{Ll}+|['’]\p{Lu}\p{Ll}+)(?:-?\p{Lu}?\p{Ll}+)*)(?: \p{Lu}(?:\p{Ll}+|['’]\p{Lu}\p{Ll}+)(?:-?\p{Lu}?\p{Ll}+)*){1,2})"};
  re2::RE2 iso_date{R"(\d{4}-\d{2}-\d{2})"};
  re2::RE2 decimal{R"(\d+\.\d+)"};
};

const Patterns& patterns() {
  static const Patterns compiled;
  return compiled;
}

bool full_match(std::string_view value, const re2::RE2& re) {
  return re2::RE2::FullMatch(re2::StringPiece(value.data(), value.size()), re);
}

// Kinds a value can show, the most specific first: a Luhn-valid 15-digit
// number is also phone-shaped, an SSN too, an IPv4 address too.
constexpr SensitiveKind kValueKinds[] = {SensitiveKind::kEmail,     SensitiveKind::kCardNumber,
                                         SensitiveKind::kNationalId, SensitiveKind::kIpAddress,
                                         SensitiveKind::kPhone,     SensitiveKind::kPersonName};

bool has_shape(SensitiveKind kind, std::string_view value) {
  switch (kind) {
    case SensitiveKind::kEmail: return looks_like_email(value);
    case SensitiveKind::kCardNumber: return looks_like_card_number(value);
    case SensitiveKind::kNationalId: return looks_like_national_id(value);
    case SensitiveKind::kIpAddress: return looks_like_ip_address(value);
    case SensitiveKind::kPhone: return looks_like_phone(value);
    case SensitiveKind::kPersonName: return looks_like_person_name(value);
    default: return false;
  }
}

}  // namespace

bool looks_like_email(std::string_view value) {
  value = trimmed(value);
  return value.size() <= 254 && full_match(value, patterns().email);
}

bool looks_like_phone(std::string_view value) {
  value = trimmed(value);
  if (value.empty() || value.size() > 32) return false;
  const bool plus = value.front() == '+';
  if (plus) value.remove_prefix(1);
  int digits = 0, separators = 0, open = 0;
  for (char c : value) {
    if (is_digit(c)) {
      ++digits;
    } else if (c == ' ' || c == '-' || c == '.') {
      ++separators;
    } else if (c == '(') {
      ++separators;
      if (++open > 1) return false;
    } else if (c == ')') {
      ++separators;
      if (--open < 0) return false;
    } else {
      return false;
    }
  }
  if (open != 0 || digits < 7 || digits > 15 || value.empty() || !is_digit(value.back())) return false;
  // A bare run of digits is a phone number only when long enough to dial.
  if (separators == 0 && !plus && digits < 10) return false;
  if (full_match(value, patterns().iso_date) || full_match(value, patterns().decimal)) return false;
  return !looks_like_ip_address(value);
}

bool passes_luhn(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!is_digit(*it)) return false;
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool looks_like_card_number(std::string_view value) {
  value = trimmed(value);
  if (value.empty() || !is_digit(value.front()) || !is_digit(value.back())) return false;
  std::string digits;
  for (char c : value) {
    if (is_digit(c)) digits += c;
    else if (c != ' ' && c != '-') return false;
  }
  if (digits.size() < 13 || digits.size() > 19) return false;
  // All zeros passes Luhn but is no card.
  if (digits.find_first_not_of('0') == std::string::npos) return false;
  return passes_luhn(digits);
}

bool looks_like_national_id(std::string_view value) {
  value = trimmed(value);
  std::string area, group, serial;
  if (re2::RE2::FullMatch(re2::StringPiece(value.data(), value.size()), patterns().us_ssn, &area, &group, &serial)) {
    // Numbers the SSA never issues.
    return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000";
  }
  return full_match(value, patterns().uk_nino);
}

bool looks_like_ip_address(std::string_view value) {
  value = trimmed(value);
  if (value.empty() || value.size() > 64) return false;
  std::string address(value);
  const std::size_t slash = address.find('/');
  if (slash != std::string::npos) {
    const std::string bits = address.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) return false;
    address.resize(slash);
  }
  unsigned char buffer[16];
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 || inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

bool looks_like_person_name(std::string_view value) {
  value = trimmed(value);
  return value.size() <= 100 && full_match(value, patterns().person_name);
}

void ValueTally::add(std::string_view value) {
  ++total_;
  for (SensitiveKind kind : kValueKinds) {
    if (has_shape(kind, value)) ++counts_[static_cast<std::size_t>(kind)];
  }
}

std::optional<SensitiveKind> ValueTally::majority(double share) const {
  if (total_ == 0) return std::nullopt;
  for (SensitiveKind kind : kValueKinds) {
    if (static_cast<double>(counts_[static_cast<std::size_t>(kind)]) >= share * static_cast<double>(total_)) {
      return kind;
    }
  }
  return std::nullopt;
}

}  // namespace pgclone::protocol
