#include "pgclone/protocol/role_names.h"

#include <algorithm>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/too_long.h"

namespace pgclone::protocol {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

[[noreturn]] void invalid(const std::string& message, std::string detail = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, "role_names", message, {}, std::move(detail));
}

}  // namespace

std::vector<std::string> parse_role_names(std::string_view text) {
  if (text.size() > kMaxOptionsBytes) {
    invalid("role_names is too long", too_long_detail("role_names text", text.size(), kMaxOptionsBytes));
  }
  std::vector<std::string> names;
  if (std::all_of(text.begin(), text.end(), blank)) return names;
  std::size_t pos = 0;
  while (true) {
    while (pos < text.size() && blank(text[pos])) ++pos;
    std::string name;
    if (pos < text.size() && text[pos] == '"') {
      ++pos;
      while (true) {
        if (pos >= text.size()) invalid("unterminated quoted name in role_names");
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            name += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        name += text[pos++];
      }
      while (pos < text.size() && blank(text[pos])) ++pos;
      if (pos < text.size() && text[pos] != ',') invalid("unexpected text after a quoted name in role_names");
    } else {
      const std::size_t end = std::min(text.find(',', pos), text.size());
      name = std::string(text.substr(pos, end - pos));
      while (!name.empty() && blank(name.back())) name.pop_back();
      pos = end;
    }
    if (name.empty()) invalid("role_names has an empty name", "Separate role names with single commas.");
    if (std::optional<ErrorInfo> too_long = identifier_too_long(name, "role name")) {
      throw OptionsError(too_long->sqlstate, "role_names", too_long->message, {}, too_long->detail);
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    if (pos >= text.size()) break;
    ++pos;  // the comma
  }
  return names;
}

}  // namespace pgclone::protocol
