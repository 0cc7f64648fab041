#include "ddl/policy_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

const char* command_keyword(char c) {
  switch (c) {
    case 'r': return "SELECT";
    case 'a': return "INSERT";
    case 'w': return "UPDATE";
    case 'd': return "DELETE";
    default: return nullptr;  // ALL is the default
  }
}

}  // namespace

std::vector<std::string> row_security_statements(const catalog::RowSecurity& rls, const std::string& table) {
  std::vector<std::string> out;
  if (rls.enabled) out.push_back("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY");
  if (rls.forced) out.push_back("ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY");
  return out;
}

std::vector<std::string> policy_statements(const catalog::PolicyDefinition& p, const std::string& table) {
  std::string sql = "CREATE POLICY " + quote_ident(p.name) + " ON " + table;
  if (!p.permissive) sql += " AS RESTRICTIVE";
  if (const char* cmd = command_keyword(p.command)) sql += std::string(" FOR ") + cmd;
  if (!p.roles.empty()) sql += " TO " + join(p.roles);
  if (p.using_expr) sql += " USING (" + *p.using_expr + ")";
  if (p.check_expr) sql += " WITH CHECK (" + *p.check_expr + ")";
  std::vector<std::string> out{sql};
  if (p.comment)
    out.push_back("COMMENT ON POLICY " + quote_ident(p.name) + " ON " + table + " IS " + quote_literal(*p.comment));
  return out;
}

std::vector<std::string> rule_statements(const catalog::RuleDefinition& r, const std::string& relation) {
  std::vector<std::string> out{r.definition};
  const std::string alter = "ALTER TABLE " + relation;
  switch (r.enabled) {
    case 'D': out.push_back(alter + " DISABLE RULE " + quote_ident(r.name)); break;
    case 'R': out.push_back(alter + " ENABLE REPLICA RULE " + quote_ident(r.name)); break;
    case 'A': out.push_back(alter + " ENABLE ALWAYS RULE " + quote_ident(r.name)); break;
    default: break;
  }
  if (r.comment)
    out.push_back("COMMENT ON RULE " + quote_ident(r.name) + " ON " + relation + " IS " + quote_literal(*r.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
