#include "pg/conninfo.h"

#include <cctype>
#include <cstring>
#include <set>
#include <vector>

#include <libpq-fe.h>

#include "pg/pg_error.h"

namespace pgclone::agent::pg {

namespace {

constexpr const char* kMask = "********";
constexpr const char* kInvalidPlaceholder = "(invalid connection string, not shown)";

bool is_uri(const std::string& s) {
  return s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0;
}

// libpq treats a string as a connection string (rather than a database name)
// when it is a URI or contains '='.
bool looks_like_conninfo(const std::string& s) { return is_uri(s) || s.find('=') != std::string::npos; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void add_secret(std::vector<std::string>* secrets, const std::string& s) {
  if (secrets && !s.empty()) secrets->push_back(s);
}

// Masks the password in a URI, following libpq's conninfo_uri_parse_options:
// user info ends at the first '@' seen before any '/'; the password is what
// follows the first ':' in it. Query parameters named password are masked too.
std::string redact_uri(const std::string& uri, std::vector<std::string>* secrets) {
  size_t start = uri.find("://") + 3;
  std::string out = uri.substr(0, start);
  size_t p = start;
  while (p < uri.size() && uri[p] != '@' && uri[p] != '/') ++p;
  size_t rest = start;
  if (p < uri.size() && uri[p] == '@') {
    size_t colon = uri.find(':', start);
    if (colon != std::string::npos && colon < p) {
      std::string raw = uri.substr(colon + 1, p - colon - 1);
      add_secret(secrets, raw);
      add_secret(secrets, percent_decode(raw));
      out += uri.substr(start, colon + 1 - start);
      out += kMask;
    } else {
      out += uri.substr(start, p - start);
    }
    out += '@';
    rest = p + 1;
  }
  size_t q = uri.find('?', rest);
  if (q == std::string::npos) return out + uri.substr(rest);
  out += uri.substr(rest, q + 1 - rest);
  size_t i = q + 1;
  while (true) {
    size_t amp = uri.find('&', i);
    std::string param = uri.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    size_t eq = param.find('=');
    if (eq != std::string::npos && percent_decode(param.substr(0, eq)) == "password") {
      std::string raw = param.substr(eq + 1);
      add_secret(secrets, raw);
      add_secret(secrets, percent_decode(raw));
      out += param.substr(0, eq + 1) + kMask;
    } else {
      out += param;
    }
    if (amp == std::string::npos) break;
    out += '&';
    i = amp + 1;
  }
  return out;
}

std::string single_quoted(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// Masks password values in keyword/value form, scanning exactly like libpq's
// conninfo_parse (quoted values with backslash escapes, unquoted values ending
// at whitespace). Tolerant: a malformed tail is copied as is and *ok is false.
std::string redact_keywords(const std::string& s, std::vector<std::string>* secrets, bool* ok) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  size_t i = 0;
  *ok = true;
  while (i < s.size()) {
    size_t ws = i;
    while (i < s.size() && space(s[i])) ++i;
    out += s.substr(ws, i - ws);
    if (i >= s.size()) break;
    size_t key_begin = i;
    while (i < s.size() && s[i] != '=' && !space(s[i])) ++i;
    std::string key = s.substr(key_begin, i - key_begin);
    while (i < s.size() && space(s[i])) ++i;
    if (i >= s.size() || s[i] != '=') {
      *ok = false;
      out += s.substr(key_begin);
      return out;
    }
    ++i;
    while (i < s.size() && space(s[i])) ++i;
    out += s.substr(key_begin, i - key_begin);
    std::string value;
    size_t value_begin = i;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\'') {
          ++i;
          closed = true;
          break;
        }
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i++];
      }
      if (!closed) *ok = false;
    } else {
      while (i < s.size() && !space(s[i])) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i++];
      }
    }
    if (key == "password") {
      add_secret(secrets, value);
      out += kMask;
    } else if (is_uri(value)) {
      std::vector<std::string> inner;
      std::string redacted = redact_uri(value, &inner);
      if (inner.empty()) {
        out += s.substr(value_begin, i - value_begin);
      } else {
        for (auto& x : inner) add_secret(secrets, x);
        out += single_quoted(redacted);
      }
    } else {
      out += s.substr(value_begin, i - value_begin);
    }
    if (!*ok) return out;
  }
  return out;
}

// Every password-like value we can find, without needing libpq to accept the
// string.
std::vector<std::string> find_secrets(const std::string& conninfo) {
  std::vector<std::string> secrets;
  if (is_uri(conninfo)) {
    redact_uri(conninfo, &secrets);
  } else {
    bool ok = true;
    redact_keywords(conninfo, &secrets, &ok);
  }
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err) PQfreemem(err);
  if (opts) {
    for (PQconninfoOption* o = opts; o->keyword; ++o)
      if (o->val && std::strcmp(o->keyword, "password") == 0) add_secret(&secrets, o->val);
    PQconninfoFree(opts);
  }
  return secrets;
}

void replace_all(std::string& text, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(what, pos)) != std::string::npos) {
    text.replace(pos, what.size(), with);
    pos += with.size();
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string redact_conninfo(const std::string& conninfo) {
  try {
    if (!looks_like_conninfo(conninfo)) return conninfo;  // a bare database name
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (err) PQfreemem(err);
    if (!opts) return kInvalidPlaceholder;
    PQconninfoFree(opts);
    if (is_uri(conninfo)) return redact_uri(conninfo, nullptr);
    bool ok = true;
    std::string out = redact_keywords(conninfo, nullptr, &ok);
    return ok ? out : kInvalidPlaceholder;
  } catch (...) {
    return kInvalidPlaceholder;
  }
}

void validate_conninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (opts) {
    PQconninfoFree(opts);
    if (err) PQfreemem(err);
    return;
  }
  std::string reason = err ? err : "could not parse";
  if (err) PQfreemem(err);
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();

  // libpq quotes the offending fragment ("missing \"=\" after \"b\"", "invalid
  // URI query parameter: \"...\""). After a syntax error we cannot tell where a
  // password ends, so when one may be present every quoted fragment is masked
  // unless it is a plain option keyword.
  std::string lc = lower(conninfo);
  bool may_hold_password =
      lc.find("password") != std::string::npos || (is_uri(conninfo) && conninfo.find('@') != std::string::npos);
  if (may_hold_password) {
    std::set<std::string> keywords;
    if (PQconninfoOption* defs = PQconndefaults()) {
      for (PQconninfoOption* o = defs; o->keyword; ++o) keywords.insert(o->keyword);
      PQconninfoFree(defs);
    }
    std::string masked;
    size_t i = 0;
    while (i < reason.size()) {
      size_t open = reason.find('"', i);
      if (open == std::string::npos) break;
      size_t close = reason.find('"', open + 1);
      if (close == std::string::npos) break;
      std::string fragment = reason.substr(open + 1, close - open - 1);
      masked += reason.substr(i, open + 1 - i);
      bool harmless = fragment == "=" || keywords.count(fragment) > 0;
      masked += harmless ? fragment : std::string(kMask);
      masked += '"';
      i = close + 1;
    }
    masked += reason.substr(i);
    reason = masked;
  }
  // No scrub_secrets() here: libpq only echoes input inside quotes, handled
  // above, and scrubbing a short password would garble the words around it.
  throw PgError("22023", "invalid connection string: " + reason);
}

std::map<std::string, std::string> conninfo_options(const std::string& conninfo) {
  if (!looks_like_conninfo(conninfo)) return {{"dbname", conninfo}};
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err) PQfreemem(err);
  if (!opts) {
    validate_conninfo(conninfo);  // throws, with libpq's reason made safe to show
    throw PgError("22023", "invalid connection string: out of memory");
  }
  std::map<std::string, std::string> out;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val) out.emplace(o->keyword, o->val);
  PQconninfoFree(opts);
  return out;
}

std::string scrub_secrets(const std::string& text, const std::string& conninfo) {
  try {
    std::string out = text;
    if (!conninfo.empty() && out.find(conninfo) != std::string::npos)
      replace_all(out, conninfo, redact_conninfo(conninfo));
    for (const auto& secret : find_secrets(conninfo)) replace_all(out, secret, kMask);
    return out;
  } catch (...) {
    return "(message withheld: it could not be checked for passwords)";
  }
}

std::string conninfo_with_dbname(const std::string& conninfo, const std::string& dbname) {
  std::string quoted = "'";
  for (char c : dbname) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += "'";
  return conninfo + " dbname=" + quoted;
}

}  // namespace pgclone::agent::pg
