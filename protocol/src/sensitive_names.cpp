// Sensitive columns by name: the words of a column name (snake_case,
// camelCase, digits and punctuation all split) matched against word lists.
// Whole words only, so "hotel" is no phone ("tel") and "zipper" no address.
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::protocol {
namespace {

using Words = std::vector<std::string>;

// "customerEmail_2" -> {"customer", "email", "2"}; "IPAddress" -> {"ip", "address"}.
Words words_of(std::string_view name) {
  Words out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    if (std::isupper(c) && !word.empty()) {
      const unsigned char before = static_cast<unsigned char>(name[i - 1]);
      const bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      // aB starts a word; so does the B of ABc (an acronym followed by a word).
      if (std::islower(before) || std::isdigit(before) || (std::isupper(before) && next_lower)) flush();
    } else if (std::isdigit(c) != 0 && !word.empty() && std::isdigit(static_cast<unsigned char>(word.back())) == 0) {
      flush();
    }
    word += static_cast<char>(std::tolower(c));
  }
  flush();
  return out;
}

bool has(const Words& words, std::initializer_list<const char*> any) {
  for (const std::string& w : words)
    for (const char* a : any)
      if (w == a) return true;
  return false;
}

// `first` directly followed by one of `then`.
bool has_pair(const Words& words, std::initializer_list<const char*> first, std::initializer_list<const char*> then) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (has({words[i]}, first) && has({words[i + 1]}, then)) return true;
  }
  return false;
}

bool is_exactly(const Words& words, std::initializer_list<const char*> any) {
  return words.size() == 1 && has(words, any);
}

bool is_secret(const Words& w) {
  return has(w, {"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey"}) ||
         has_pair(w, {"api", "private", "secret"}, {"key"});
}

bool is_email(const Words& w) {
  return has(w, {"email", "mail", "emailaddress", "emailaddr"}) || has_pair(w, {"e"}, {"mail"});
}

bool is_ip(const Words& w) {
  return has(w, {"ip", "ipaddr", "ipaddress", "ipv4", "ipv6"});
}

bool is_card(const Words& w) {
  static const std::initializer_list<const char*> kNumber = {"number", "num", "no", "nr", "nbr"};
  return is_exactly(w, {"card", "pan"}) || has(w, {"iban", "ccn", "ccnum", "creditcard", "cardnumber"}) ||
         has_pair(w, {"credit", "debit", "payment", "bank"}, {"card", "account"}) ||
         has_pair(w, {"card", "cc", "account", "acct"}, kNumber);
}

bool is_national_id(const Words& w) {
  return has(w, {"ssn", "nino", "passport", "taxid", "nationalid"}) ||
         has_pair(w, {"national", "tax", "citizen", "resident"}, {"id", "number", "no"}) ||
         has_pair(w, {"social"}, {"security"}) || has_pair(w, {"driver", "drivers", "driving"}, {"license", "licence"});
}

bool is_birth_date(const Words& w) {
  return has(w, {"dob", "birth", "birthday", "birthdate", "born"});
}

bool is_phone(const Words& w) {
  return has(w, {"phone", "telephone", "tel", "mobile", "cell", "cellphone", "fax", "msisdn", "phonenumber"});
}

bool is_money(const Words& w) {
  return has(w, {"salary", "salaries", "income", "wage", "wages", "compensation", "payroll", "bonus"}) ||
         is_exactly(w, {"pay"});
}

bool is_person_name(const Words& w) {
  if (is_exactly(w, {"name"})) return true;
  if (has(w, {"surname", "firstname", "lastname", "fullname", "forename", "givenname", "familyname", "middlename",
              "maidenname"})) {
    return true;
  }
  return has_pair(w, {"first", "last", "full", "given", "family", "middle", "maiden", "person", "customer", "contact",
                      "employee", "patient", "client", "holder", "cardholder", "account", "legal"},
                  {"name"});
}

bool is_address(const Words& w) {
  return has(w, {"address", "addr", "street", "zip", "zipcode", "postcode", "postal"});
}

}  // namespace

const char* sensitive_kind_name(SensitiveKind kind) {
  switch (kind) {
    case SensitiveKind::kEmail: return "email";
    case SensitiveKind::kPhone: return "phone";
    case SensitiveKind::kPersonName: return "person_name";
    case SensitiveKind::kNationalId: return "national_id";
    case SensitiveKind::kCardNumber: return "card_number";
    case SensitiveKind::kMoney: return "money";
    case SensitiveKind::kIpAddress: return "ip_address";
    case SensitiveKind::kBirthDate: return "birth_date";
    case SensitiveKind::kAddress: return "address";
    case SensitiveKind::kSecret: return "secret";
  }
  return "unknown";
}

// The order settles names with words of two kinds: "email_address" is an
// e-mail, "ip_address" an IP address, "password_token" a secret.
std::optional<SensitiveKind> sensitive_kind_of_name(std::string_view column_name) {
  const Words w = words_of(column_name);
  if (w.empty()) return std::nullopt;
  if (is_secret(w)) return SensitiveKind::kSecret;
  if (is_email(w)) return SensitiveKind::kEmail;
  if (is_ip(w)) return SensitiveKind::kIpAddress;
  if (is_card(w)) return SensitiveKind::kCardNumber;
  if (is_national_id(w)) return SensitiveKind::kNationalId;
  if (is_birth_date(w)) return SensitiveKind::kBirthDate;
  if (is_phone(w)) return SensitiveKind::kPhone;
  if (is_money(w)) return SensitiveKind::kMoney;
  if (is_person_name(w)) return SensitiveKind::kPersonName;
  if (is_address(w)) return SensitiveKind::kAddress;
  return std::nullopt;
}

}  // namespace pgclone::protocol
