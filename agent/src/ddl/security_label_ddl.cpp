#include "ddl/security_label_ddl.h"

#include <map>

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::optional<std::string> security_label_statement(const catalog::SecurityLabel& label) {
  // pg_identify_object's type -> the object kind of the SECURITY LABEL grammar.
  static const std::map<std::string, std::string> kKinds = {
      {"table", "TABLE"},
      {"table column", "COLUMN"},
      {"view", "VIEW"},
      {"view column", "COLUMN"},
      {"materialized view", "MATERIALIZED VIEW"},
      {"materialized view column", "COLUMN"},
      {"foreign table", "FOREIGN TABLE"},
      {"foreign table column", "COLUMN"},
      {"sequence", "SEQUENCE"},
      {"function", "FUNCTION"},
      {"procedure", "PROCEDURE"},
      {"aggregate", "AGGREGATE"},
      {"type", "TYPE"},
      {"domain", "DOMAIN"},
      {"schema", "SCHEMA"},
      {"large object", "LARGE OBJECT"},
      {"event trigger", "EVENT TRIGGER"},
      {"publication", "PUBLICATION"},
      {"language", "LANGUAGE"},
  };
  auto kind = kKinds.find(label.kind);
  if (kind == kKinds.end()) return std::nullopt;
  return "SECURITY LABEL FOR " + quote_ident(label.provider) + " ON " + kind->second + " " + label.identity + " IS " +
         quote_literal(label.label);
}

}  // namespace pgclone::agent::ddl
