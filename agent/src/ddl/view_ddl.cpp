#include "ddl/view_ddl.h"

#include "ddl/column_settings.h"
#include "ddl/definition_text.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

using catalog::ViewDefinition;

std::string with_options(const catalog::OptionList& options) {
  return options.empty() ? "" : " WITH (" + options_text(options) + ")";
}

}  // namespace

std::vector<std::string> view_statements(const ViewDefinition& v, bool replace) {
  const std::string name = qualified_name(v.schema, v.name);
  const bool matview = v.relkind == 'm';
  std::vector<std::string> out;
  if (matview) {
    out.push_back("CREATE MATERIALIZED VIEW " + name + with_options(v.reloptions) + " AS\n" + v.query +
                  "\n  WITH NO DATA");
  } else {
    out.push_back(std::string(replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ") + name +
                  with_options(v.reloptions) + " AS\n" + v.query);
  }
  for (const auto& c : v.columns)
    if (c.default_expr)
      out.push_back("ALTER VIEW " + name + " ALTER COLUMN " + quote_ident(c.name) + " SET DEFAULT " + *c.default_expr);
  if (matview)
    for (const auto& c : v.columns)
      for (auto& statement :
           column_setting_statements("ALTER MATERIALIZED VIEW " + name + " ALTER COLUMN " + quote_ident(c.name),
                                     {c.storage, c.compression, c.statistics_target, c.options}))
        out.push_back(std::move(statement));
  if (v.comment)
    out.push_back(std::string("COMMENT ON ") + (matview ? "MATERIALIZED VIEW " : "VIEW ") + name + " IS " +
                  quote_literal(*v.comment));
  for (const auto& c : v.columns)
    if (c.comment)
      out.push_back("COMMENT ON COLUMN " + name + "." + quote_ident(c.name) + " IS " + quote_literal(*c.comment));
  return out;
}

std::vector<std::string> view_placeholder_statements(const ViewDefinition& v) {
  std::vector<std::string> columns;
  for (const auto& c : v.columns)
    columns.push_back("NULL::" + c.type + (c.collation ? " COLLATE " + *c.collation : "") + " AS " + quote_ident(c.name));
  return {"CREATE VIEW " + qualified_name(v.schema, v.name) + " AS\n SELECT " + join(columns)};
}

std::vector<std::string> matview_index_statements(const ViewDefinition& v, const catalog::IndexDefinition& x) {
  std::vector<std::string> out{x.definition};
  const std::string index = qualified_name(v.schema, x.name);
  if (x.clustered)
    out.push_back("ALTER MATERIALIZED VIEW " + qualified_name(v.schema, v.name) + " CLUSTER ON " + quote_ident(x.name));
  if (x.comment) out.push_back("COMMENT ON INDEX " + index + " IS " + quote_literal(*x.comment));
  return out;
}

std::vector<std::string> view_trigger_statements(const ViewDefinition& v, const catalog::TriggerDefinition& t) {
  const std::string name = qualified_name(v.schema, v.name);
  std::vector<std::string> out{t.definition};
  if (t.enabled != 'O') out.push_back(trigger_state_statement(name, t.name, t.enabled));
  if (t.comment) out.push_back("COMMENT ON TRIGGER " + quote_ident(t.name) + " ON " + name + " IS " + quote_literal(*t.comment));
  return out;
}

std::string matview_refresh_statement(const ViewDefinition& v) {
  return "REFRESH MATERIALIZED VIEW " + qualified_name(v.schema, v.name);
}

}  // namespace pgclone::agent::ddl
