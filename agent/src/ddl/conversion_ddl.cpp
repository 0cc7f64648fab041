#include "ddl/conversion_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::string cast_name(const catalog::CastDefinition& c) { return "(" + c.source_type + " AS " + c.target_type + ")"; }

std::string transform_name(const catalog::TransformDefinition& t) {
  return "FOR " + t.type + " LANGUAGE " + t.language;
}

std::vector<std::string> conversion_statements(const catalog::ConversionDefinition& c) {
  const std::string name = qualified_name(c.schema, c.name);
  std::vector<std::string> out{"CREATE " + std::string(c.is_default ? "DEFAULT " : "") + "CONVERSION " + name +
                               " FOR " + quote_literal(c.from_encoding) + " TO " + quote_literal(c.to_encoding) +
                               " FROM " + c.function};
  if (c.comment) out.push_back("COMMENT ON CONVERSION " + name + " IS " + quote_literal(*c.comment));
  return out;
}

std::vector<std::string> cast_statements(const catalog::CastDefinition& c) {
  std::string sql = "CREATE CAST " + cast_name(c);
  switch (c.method) {
    case 'i': sql += " WITH INOUT"; break;
    case 'b': sql += " WITHOUT FUNCTION"; break;
    default: sql += " WITH FUNCTION " + c.function;
  }
  if (c.context == 'a') sql += " AS ASSIGNMENT";
  if (c.context == 'i') sql += " AS IMPLICIT";
  std::vector<std::string> out{sql};
  if (c.comment) out.push_back("COMMENT ON CAST " + cast_name(c) + " IS " + quote_literal(*c.comment));
  return out;
}

std::vector<std::string> transform_statements(const catalog::TransformDefinition& t) {
  std::vector<std::string> items;
  if (!t.from_sql.empty()) items.push_back("FROM SQL WITH FUNCTION " + t.from_sql);
  if (!t.to_sql.empty()) items.push_back("TO SQL WITH FUNCTION " + t.to_sql);
  std::vector<std::string> out{"CREATE TRANSFORM " + transform_name(t) + " (\n    " + join(items, ",\n    ") + "\n)"};
  if (t.comment) out.push_back("COMMENT ON TRANSFORM " + transform_name(t) + " IS " + quote_literal(*t.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
