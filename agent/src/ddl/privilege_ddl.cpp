#include "ddl/privilege_ddl.h"

#include <stdexcept>

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {
namespace {

struct Privilege {
  char letter;
  const char* name;
};

// In aclitem order (the order PostgreSQL prints the letters in).
constexpr Privilege kPrivileges[] = {
    {'a', "INSERT"},   {'r', "SELECT"}, {'w', "UPDATE"},    {'d', "DELETE"},    {'D', "TRUNCATE"},
    {'x', "REFERENCES"}, {'t', "TRIGGER"}, {'X', "EXECUTE"}, {'U', "USAGE"},  {'C', "CREATE"},
    {'c', "CONNECT"},  {'T', "TEMPORARY"}, {'m', "MAINTAIN"},
};

const char* name_of(char letter) {
  for (const Privilege& p : kPrivileges)
    if (p.letter == letter) return p.name;
  return nullptr;
}

// One role name at `pos` up to a terminator (`=` or `/` or the end): plain,
// or double-quoted with `""` standing for a quote.
std::string read_role(const std::string& text, std::size_t& pos, char terminator) {
  std::string out;
  if (pos < text.size() && text[pos] == '"') {
    for (++pos;; ++pos) {
      if (pos >= text.size()) throw std::invalid_argument("unterminated quoted role name in aclitem: " + text);
      if (text[pos] == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          out += '"';
          ++pos;
          continue;
        }
        ++pos;
        break;
      }
      out += text[pos];
    }
    return out;
  }
  while (pos < text.size() && text[pos] != terminator) out += text[pos++];
  return out;
}

const char* keyword(AclObjectKind kind) {
  switch (kind) {
    case AclObjectKind::kTable:
    case AclObjectKind::kColumn: return "TABLE";
    case AclObjectKind::kSequence: return "SEQUENCE";
    case AclObjectKind::kFunction: return "FUNCTION";
    case AclObjectKind::kProcedure: return "PROCEDURE";
    case AclObjectKind::kType: return "TYPE";
    case AclObjectKind::kSchema: return "SCHEMA";
    case AclObjectKind::kForeignDataWrapper: return "FOREIGN DATA WRAPPER";
    case AclObjectKind::kForeignServer: return "FOREIGN SERVER";
    case AclObjectKind::kDatabase: return "DATABASE";
    case AclObjectKind::kLargeObject: return "LARGE OBJECT";
  }
  return "TABLE";
}

// The class ALTER DEFAULT PRIVILEGES names for the kind.
const char* default_privileges_class(AclObjectKind kind) {
  switch (kind) {
    case AclObjectKind::kSequence: return "SEQUENCES";
    case AclObjectKind::kFunction:
    case AclObjectKind::kProcedure: return "FUNCTIONS";
    case AclObjectKind::kType: return "TYPES";
    case AclObjectKind::kSchema: return "SCHEMAS";
    default: return "TABLES";
  }
}

// What acldefault() grants PUBLIC for the kind (PostgreSQL 15).
const char* public_default(AclObjectKind kind) {
  switch (kind) {
    case AclObjectKind::kFunction:
    case AclObjectKind::kProcedure: return "X";
    case AclObjectKind::kType: return "U";
    case AclObjectKind::kDatabase: return "Tc";
    default: return "";
  }
}

// An item as seen relative to the owner, which is a different role on the target.
struct RelativeItem {
  bool is_public = false;
  bool is_owner = false;
  std::string grantee;  // when neither
  bool granted_by_owner = false;
  std::string privileges, grant_options;

  bool operator==(const RelativeItem& o) const {
    return is_public == o.is_public && is_owner == o.is_owner && grantee == o.grantee &&
           granted_by_owner == o.granted_by_owner && privileges == o.privileges && grant_options == o.grant_options;
  }
};

RelativeItem relative(const AclItem& item, const std::string& owner) {
  RelativeItem r;
  r.is_public = item.grantee.empty();
  r.is_owner = !r.is_public && item.grantee == owner;
  if (!r.is_public && !r.is_owner) r.grantee = item.grantee;
  r.granted_by_owner = item.grantor == owner;
  r.privileges = item.privileges;
  r.grant_options = item.grant_options;
  return r;
}

std::vector<RelativeItem> default_items(AclObjectKind kind) {
  std::vector<RelativeItem> out;
  if (kind == AclObjectKind::kColumn) return out;  // columns have no default privileges
  RelativeItem owner;
  owner.is_owner = true;
  owner.granted_by_owner = true;
  owner.privileges = all_privileges(kind);
  out.push_back(owner);
  if (*public_default(kind)) {
    RelativeItem everyone;
    everyone.is_public = true;
    everyone.granted_by_owner = true;
    everyone.privileges = public_default(kind);
    out.push_back(everyone);
  }
  return out;
}

bool contains(const std::vector<RelativeItem>& items, const RelativeItem& item) {
  for (const RelativeItem& i : items)
    if (i == item) return true;
  return false;
}

std::string role_sql(const RelativeItem& item, const AclObject& object) {
  if (item.is_public) return "PUBLIC";
  if (item.is_owner) return object.source_owner ? quote_ident(object.owner) : object.owner_sql;
  return quote_ident(item.grantee);
}

// "SELECT (c), UPDATE (c)" for a column, "SELECT, UPDATE" otherwise.
std::string privilege_list(const AclObject& object, const std::string& letters) {
  if (object.kind != AclObjectKind::kColumn) return privilege_names(object.kind, letters);
  std::string out;
  const std::string names = privilege_names(object.kind, letters);
  std::size_t begin = 0;
  while (begin <= names.size()) {
    std::size_t end = names.find(", ", begin);
    if (end == std::string::npos) end = names.size();
    if (!out.empty()) out += ", ";
    out += names.substr(begin, end - begin) + " (" + object.column + ")";
    begin = end + 2;
  }
  return out;
}

std::string object_sql(const AclObject& object) {
  if (!object.default_privileges.empty()) return default_privileges_class(object.kind);
  return std::string(keyword(object.kind)) + " " + object.target;
}

std::string shown_object(const AclObject& object) {
  if (object.kind == AclObjectKind::kColumn) return "column " + object.column + " of " + object_sql(object);
  if (!object.default_privileges.empty()) {
    // "default privileges on TABLES FOR ROLE r IN SCHEMA s"
    const std::string clauses = object.default_privileges.substr(std::string("ALTER DEFAULT PRIVILEGES").size());
    return std::string("default privileges on ") + default_privileges_class(object.kind) + clauses;
  }
  return object_sql(object);
}

std::string without(const std::string& letters, const std::string& removed) {
  std::string out;
  for (char c : letters)
    if (removed.find(c) == std::string::npos) out += c;
  return out;
}

}  // namespace

AclItem parse_acl_item(const std::string& text) {
  AclItem item;
  std::size_t pos = 0;
  item.grantee = read_role(text, pos, '=');
  if (pos >= text.size() || text[pos] != '=') throw std::invalid_argument("missing \"=\" in aclitem: " + text);
  ++pos;
  while (pos < text.size() && text[pos] != '/') {
    const char letter = text[pos++];
    if (!name_of(letter)) throw std::invalid_argument(std::string("unknown privilege \"") + letter + "\" in aclitem: " + text);
    item.privileges += letter;
    if (pos < text.size() && text[pos] == '*') {
      item.grant_options += letter;
      ++pos;
    }
  }
  if (pos >= text.size()) throw std::invalid_argument("missing grantor in aclitem: " + text);
  ++pos;
  item.grantor = read_role(text, pos, '\0');
  if (pos != text.size() || item.grantor.empty()) throw std::invalid_argument("malformed grantor in aclitem: " + text);
  return item;
}

const char* all_privileges(AclObjectKind kind) {
  switch (kind) {
    case AclObjectKind::kTable: return "arwdDxt";
    case AclObjectKind::kColumn: return "arwx";
    case AclObjectKind::kSequence: return "rwU";
    case AclObjectKind::kFunction:
    case AclObjectKind::kProcedure: return "X";
    case AclObjectKind::kType: return "U";
    case AclObjectKind::kSchema: return "UC";
    case AclObjectKind::kForeignDataWrapper:
    case AclObjectKind::kForeignServer: return "U";
    case AclObjectKind::kDatabase: return "CTc";
    case AclObjectKind::kLargeObject: return "rw";
  }
  return "";
}

std::string privilege_names(AclObjectKind kind, const std::string& letters) {
  const std::string all = all_privileges(kind);
  bool everything = !letters.empty() && letters.size() == all.size();
  for (char c : all) everything = everything && letters.find(c) != std::string::npos;
  if (everything) return "ALL";
  return each_privilege_name(letters);
}

std::string each_privilege_name(const std::string& letters) {
  std::string out;
  for (char c : letters) {
    const char* name = name_of(c);
    if (!name) throw std::invalid_argument(std::string("unknown privilege \"") + c + "\"");
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::vector<PrivilegeStatement> privilege_statements(const AclObject& object) {
  std::vector<PrivilegeStatement> out;
  if (!object.acl) return out;
  std::vector<RelativeItem> source;
  for (const std::string& text : *object.acl) source.push_back(relative(parse_acl_item(text), object.owner));
  std::vector<RelativeItem> defaults;
  if (object.baseline) {
    for (const std::string& text : *object.baseline)
      defaults.push_back(relative(parse_acl_item(text), object.baseline_owner));
  } else {
    defaults = default_items(object.kind);
  }
  const std::string on = " ON " + object_sql(object);
  const std::string prefix = object.default_privileges.empty() ? "" : object.default_privileges + " ";

  for (const RelativeItem& item : defaults) {
    if (contains(source, item)) continue;
    PrivilegeStatement s;
    s.privileges = each_privilege_name(item.privileges);
    s.sql = prefix + "REVOKE " + privilege_list(object, item.privileges) + on + " FROM " + role_sql(item, object);
    s.object = shown_object(object);
    s.for_role = object.for_role;
    out.push_back(std::move(s));
  }
  for (const RelativeItem& item : source) {
    if (contains(defaults, item)) continue;
    const std::string plain = without(item.privileges, item.grant_options);
    for (const bool with_grant_option : {false, true}) {
      const std::string& letters = with_grant_option ? item.grant_options : plain;
      if (letters.empty()) continue;
      PrivilegeStatement s;
      s.grant = true;
      s.grantee = item.grantee;
      s.to_owner = item.is_owner;
      s.privileges = each_privilege_name(letters);
      s.sql = prefix + "GRANT " + privilege_list(object, letters) + on + " TO " + role_sql(item, object);
      if (with_grant_option) s.sql += " WITH GRANT OPTION";
      s.object = shown_object(object);
      s.for_role = object.for_role;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace pgclone::agent::ddl
