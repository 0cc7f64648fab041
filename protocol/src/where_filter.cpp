#include "pgclone/protocol/where_filter.h"

#include <array>
#include <cctype>
#include <string>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::protocol {
namespace {

constexpr std::array<std::string_view, 16> kStatementKeywords{
    "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER",   "TRUNCATE", "GRANT",
    "REVOKE", "COPY",   "EXECUTE", "CALL", "DO",     "SET",    "RESET",    "LOAD"};

constexpr const char* kHint = "The WHERE clause must be a read-only filter expression.";

[[noreturn]] void refuse(const std::string& message, const std::string& hint = kHint) {
  throw OptionsError(sqlstate::kInvalidParameterValue, "where", message, hint);
}

// Identifier characters as PostgreSQL's lexer sees them: letters, digits,
// underscore, dollar (not first) and every byte of a multibyte character.
bool identifier_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// Where the literal that starts at `open` (a quote) ends: the index just past
// its closing quote. `escapes`: an E'...' string, where a backslash escapes
// the next character.
std::size_t quoted_end(std::string_view s, std::size_t open, char quote, bool escapes) {
  for (std::size_t i = open + 1; i < s.size(); ++i) {
    if (escapes && s[i] == '\\') {
      ++i;
    } else if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        ++i;  // a doubled quote stands for itself
      } else {
        return i + 1;
      }
    }
  }
  refuse(quote == '"' ? "pgclone: WHERE clause has an unterminated quoted identifier"
                      : "pgclone: WHERE clause has an unterminated string constant");
}

// A dollar quote starting at `open` ("$$" or "$tag$"): the index just past
// its closing delimiter, or npos when `open` does not start one.
std::size_t dollar_quoted_end(std::string_view s, std::size_t open) {
  std::size_t i = open + 1;
  if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) return std::string_view::npos;  // $1
  while (i < s.size() && s[i] != '$' && identifier_char(static_cast<unsigned char>(s[i]))) ++i;
  if (i >= s.size() || s[i] != '$') return std::string_view::npos;
  const std::string_view delimiter = s.substr(open, i - open + 1);
  const std::size_t close = s.find(delimiter, i + 1);
  if (close == std::string_view::npos) refuse("pgclone: WHERE clause has an unterminated dollar-quoted string");
  return close + delimiter.size();
}

}  // namespace

void check_where_filter(std::string_view s) {
  int depth = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const unsigned char next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == ';') refuse("pgclone: WHERE clause must not contain semicolons", "Remove ';' from the WHERE clause.");
    if ((c == '-' && next == '-') || (c == '/' && next == '*'))
      refuse("pgclone: WHERE clause must not contain comments");
    if (c == '\'') {
      i = quoted_end(s, i, '\'', false);
    } else if (c == '"') {
      i = quoted_end(s, i, '"', false);
    } else if (c == '$') {
      const std::size_t end = dollar_quoted_end(s, i);
      i = end == std::string_view::npos ? i + 1 : end;
    } else if (c == '(') {
      ++depth;
      ++i;
    } else if (c == ')') {
      if (--depth < 0) refuse("pgclone: WHERE clause has unbalanced parentheses");
      ++i;
    } else if (identifier_char(c) && c != '$') {
      std::size_t end = i;
      while (end < s.size() && identifier_char(static_cast<unsigned char>(s[end]))) ++end;
      std::string word(s.substr(i, end - i));
      for (char& ch : word) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      // E'...' (and U&'...', B'...', X'...', which follow the standard rules)
      if (end < s.size() && s[end] == '\'' && word == "E") {
        i = quoted_end(s, end, '\'', true);
        continue;
      }
      for (std::string_view keyword : kStatementKeywords)
        if (word == keyword) refuse("pgclone: WHERE clause contains forbidden keyword: " + word);
      i = end;
    } else {
      ++i;
    }
  }
  if (depth != 0) refuse("pgclone: WHERE clause has unbalanced parentheses");
}

}  // namespace pgclone::protocol
