#include "ddl/type_ddl.h"

#include <stdexcept>

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

using catalog::TypeDefinition;

std::string create_enum(const TypeDefinition& t, const std::string& name) {
  std::vector<std::string> labels;
  for (const auto& l : t.labels) labels.push_back(quote_literal(l));
  return "CREATE TYPE " + name + " AS ENUM (" + join(labels) + ")";
}

std::string create_composite(const TypeDefinition& t, const std::string& name) {
  std::vector<std::string> lines;
  for (const auto& a : t.attributes)
    lines.push_back(quote_ident(a.name) + " " + a.type + (a.collation ? " COLLATE " + *a.collation : ""));
  if (lines.empty()) return "CREATE TYPE " + name + " AS ()";
  return "CREATE TYPE " + name + " AS (\n    " + join(lines, ",\n    ") + "\n)";
}

std::string create_range(const TypeDefinition& t, const std::string& name) {
  std::vector<std::string> items{"SUBTYPE = " + t.subtype};
  if (t.subtype_opclass) items.push_back("SUBTYPE_OPCLASS = " + *t.subtype_opclass);
  if (t.range_collation) items.push_back("COLLATION = " + *t.range_collation);
  if (t.canonical) items.push_back("CANONICAL = " + *t.canonical);
  if (t.subtype_diff) items.push_back("SUBTYPE_DIFF = " + *t.subtype_diff);
  if (!t.multirange.empty()) items.push_back("MULTIRANGE_TYPE_NAME = " + t.multirange);
  return "CREATE TYPE " + name + " AS RANGE (\n    " + join(items, ",\n    ") + "\n)";
}

}  // namespace

std::vector<std::string> type_statements(const TypeDefinition& t) {
  const std::string name = qualified_name(t.schema, t.name);
  std::vector<std::string> out;
  switch (t.kind) {
    case 'e': out.push_back(create_enum(t, name)); break;
    case 'c': out.push_back(create_composite(t, name)); break;
    case 'r': out.push_back(create_range(t, name)); break;
    case 'd': {
      std::string sql = "CREATE DOMAIN " + name + " AS " + t.base_type;
      if (t.collation) sql += " COLLATE " + *t.collation;
      if (t.default_expr) sql += " DEFAULT " + *t.default_expr;
      if (t.not_null) sql += " NOT NULL";
      for (const auto& c : t.constraints)
        if (c.validated) sql += "\n    CONSTRAINT " + quote_ident(c.name) + " " + c.definition;
      out.push_back(sql);
      for (const auto& c : t.constraints)
        if (!c.validated) out.push_back("ALTER DOMAIN " + name + " ADD CONSTRAINT " + quote_ident(c.name) + " " + c.definition);
      break;
    }
    default: throw std::logic_error(std::string("unsupported typtype '") + t.kind + "' for type " + name);
  }
  if (t.comment)
    out.push_back(std::string("COMMENT ON ") + (t.kind == 'd' ? "DOMAIN " : "TYPE ") + name + " IS " +
                  quote_literal(*t.comment));
  for (const auto& c : t.constraints)
    if (c.comment)
      out.push_back("COMMENT ON CONSTRAINT " + quote_ident(c.name) + " ON DOMAIN " + name + " IS " +
                    quote_literal(*c.comment));
  for (const auto& a : t.attributes)
    if (a.comment)
      out.push_back("COMMENT ON COLUMN " + name + "." + quote_ident(a.name) + " IS " + quote_literal(*a.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
