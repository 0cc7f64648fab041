#include "ddl/sql_text.h"

#include <iterator>
#include <set>

namespace pgclone::agent::ddl {

namespace {

// PostgreSQL 15 keywords whose category is not
// UNRESERVED_KEYWORD (src/include/parser/kwlist.h): COL_NAME, TYPE_FUNC_NAME
// and RESERVED keywords. quote_identifier() quotes exactly these.
const char* const kQuotedKeywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float",
    "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having",
    "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
    "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit",
    "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not",
    "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer",
    "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references",
    "returning", "right", "row", "select", "session_user", "setof", "similar", "smallint", "some",
    "substring", "symmetric", "table", "tablesample", "then", "time", "timestamp", "to",
    "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
    "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
    "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
    "xmlserialize", "xmltable",
};

bool is_quoted_keyword(const std::string& word) {
  static const std::set<std::string> keywords(std::begin(kQuotedKeywords), std::end(kQuotedKeywords));
  return keywords.count(word) > 0;
}

}  // namespace

std::string quote_ident(const std::string& ident) {
  bool safe = !ident.empty() && ((ident[0] >= 'a' && ident[0] <= 'z') || ident[0] == '_');
  for (char ch : ident) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) safe = false;
  }
  if (safe && is_quoted_keyword(ident)) safe = false;
  if (safe) return ident;
  std::string out = "\"";
  for (char ch : ident) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string qualified_name(const std::string& schema, const std::string& name) {
  return quote_ident(schema) + "." + quote_ident(name);
}

std::string quote_literal(const std::string& text) {
  bool has_backslash = text.find('\\') != std::string::npos;
  std::string out = has_backslash ? "E'" : "'";
  for (char ch : text) {
    if (ch == '\'' || (has_backslash && ch == '\\')) out += ch;
    out += ch;
  }
  out += '\'';
  return out;
}

std::string deparsed_literal(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') out += ch;
    out += ch;
  }
  out += '\'';
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string role_shown(const std::string& name) { return "\"" + name + "\""; }

std::string role_list_shown(const std::vector<std::string>& names) {
  std::vector<std::string> shown;
  for (const std::string& name : names) shown.push_back(role_shown(name));
  return join(shown);
}

}  // namespace pgclone::agent::ddl
