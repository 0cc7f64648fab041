#include "ddl/security_label_ddl.h"

#include <algorithm>
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
      {"database", "DATABASE"},
      {"role", "ROLE"},
  };
  auto kind = kKinds.find(label.kind);
  if (kind == kKinds.end()) return std::nullopt;
  return "SECURITY LABEL FOR " + quote_ident(label.provider) + " ON " + kind->second + " " + label.identity + " IS " +
         quote_literal(label.label);
}

}  // namespace pgclone::agent::ddl

namespace pgclone::agent::ddl {

std::vector<std::string> table_security_label_statements(const std::vector<catalog::SecurityLabel>& labels,
                                                         const TableLabelTarget& target) {
  std::vector<std::string> out;
  for (catalog::SecurityLabel label : labels) {
    if (label.key == target.table_key) {
      if (label.subid == 0) {
        label.identity = target.table_sql;
      } else {
        if (target.columns && std::find(target.columns->begin(), target.columns->end(), label.name) ==
                                  target.columns->end())
          continue;
        label.identity = target.table_sql + "." + quote_ident(label.name);
      }
    } else if (!label.name.empty()) {
      const auto sequence = target.owned_sequences.find(label.name);
      if (sequence == target.owned_sequences.end()) continue;
      label.identity = sequence->second;
    } else if (!target.created_sequences.count(label.identity)) {
      continue;
    }
    if (auto statement = security_label_statement(label)) out.push_back(std::move(*statement));
  }
  return out;
}

}  // namespace pgclone::agent::ddl
