#include "ddl/foreign_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::string fdw_options_clause(const catalog::OptionList& options) {
  std::vector<std::string> items;
  for (const auto& [name, value] : options) items.push_back(quote_ident(name) + " " + quote_literal(value));
  return "OPTIONS (" + join(items) + ")";
}

std::vector<std::string> wrapper_statements(const catalog::ForeignDataWrapperDefinition& w) {
  std::string sql = "CREATE FOREIGN DATA WRAPPER " + quote_ident(w.name);
  sql += w.handler.empty() ? " NO HANDLER" : " HANDLER " + w.handler;
  sql += w.validator.empty() ? " NO VALIDATOR" : " VALIDATOR " + w.validator;
  if (!w.options.empty()) sql += " " + fdw_options_clause(w.options);
  std::vector<std::string> out{sql};
  if (w.comment)
    out.push_back("COMMENT ON FOREIGN DATA WRAPPER " + quote_ident(w.name) + " IS " + quote_literal(*w.comment));
  return out;
}

std::vector<std::string> server_statements(const catalog::ForeignServerDefinition& s) {
  std::string sql = "CREATE SERVER " + quote_ident(s.name);
  if (s.type) sql += " TYPE " + quote_literal(*s.type);
  if (s.version) sql += " VERSION " + quote_literal(*s.version);
  sql += " FOREIGN DATA WRAPPER " + quote_ident(s.wrapper);
  if (!s.options.empty()) sql += " " + fdw_options_clause(s.options);
  std::vector<std::string> out{sql};
  if (s.comment) out.push_back("COMMENT ON SERVER " + quote_ident(s.name) + " IS " + quote_literal(*s.comment));
  return out;
}

std::string mapping_role(const catalog::UserMappingDefinition& m) {
  return m.role.empty() ? "PUBLIC" : quote_ident(m.role);
}

std::string user_mapping_statement(const catalog::UserMappingDefinition& m, bool keep_secrets,
                                   std::vector<std::string>& withheld) {
  std::string sql = "CREATE USER MAPPING FOR " + mapping_role(m) + " SERVER " + quote_ident(m.server);
  catalog::OptionList kept;
  for (const auto& option : m.options ? *m.options : catalog::OptionList{}) {
    if (catalog::is_secret_option(option.first) && !keep_secrets)
      withheld.push_back(option.first);
    else
      kept.push_back(option);
  }
  if (!kept.empty()) sql += " " + fdw_options_clause(kept);
  return sql;
}

}  // namespace pgclone::agent::ddl
