#include "ddl/inherited_column_order.h"

#include <algorithm>

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

using catalog::ColumnDefinition;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The column as the helper parent declares it: what ALTER TABLE ... INHERIT
// compares (type and collation); the child keeps its own default and NOT NULL.
std::string helper_column(const ColumnDefinition& c) {
  return quote_ident(c.name) + " " + c.type + (c.collation ? " COLLATE " + *c.collation : "");
}

}  // namespace

std::vector<std::string> inherits_column_order(const std::vector<std::string>& parent_columns,
                                               const std::vector<const ColumnDefinition*>& columns) {
  std::vector<std::string> order;
  for (const auto& name : parent_columns)
    if (!contains(order, name)) order.push_back(name);
  std::vector<std::string> from_parents = order;
  for (const auto* c : columns)
    if (!contains(from_parents, c->name)) order.push_back(c->name);
  return order;
}

bool inherits_keeps_column_order(const std::vector<std::string>& parent_columns,
                                 const std::vector<const ColumnDefinition*>& columns) {
  std::vector<std::string> actual;
  for (const auto* c : columns) actual.push_back(c->name);
  return inherits_column_order(parent_columns, columns) == actual;
}

std::optional<std::string> ordered_child_obstacle(const catalog::TableDefinition& def,
                                                  const std::vector<const ColumnDefinition*>& columns) {
  if (def.relkind == 'f') return "it is a foreign table";
  for (const auto* c : columns)
    if (!c->is_local && c->generated_expr) return "its parents give it the generated column \"" + c->name + "\"";
  return std::nullopt;
}

std::vector<std::string> ordered_child_statements(const OrderedChild& child) {
  std::vector<std::string> out;
  const std::string only = "ALTER TABLE ONLY " + child.target;
  const std::string helper = "ALTER TABLE " + child.helper;
  out.push_back("CREATE TABLE " + child.helper + " ()");

  size_t leading = 0;
  while (leading < child.columns.size() && child.columns[leading].column->is_local) ++leading;
  std::string create = child.create_table + " (";
  for (size_t i = 0; i < leading; ++i) create += (i ? ",\n    " : "\n    ") + child.columns[i].definition;
  create += leading ? "\n)" : ")";
  out.push_back(create + "\nINHERITS (" + child.helper + ")" + child.with_clause);

  for (size_t i = leading; i < child.columns.size(); ++i) {
    const auto& c = child.columns[i];
    out.push_back(c.column->is_local ? only + " ADD COLUMN " + c.definition
                                     : helper + " ADD COLUMN " + helper_column(*c.column));
  }
  // The inherited CHECKs below are handed down by the helper, which needs
  // every column they may read: the local ones merge into the child's.
  if (!child.inherited_checks.empty())
    for (const auto& c : child.columns)
      if (c.column->is_local && c.column->inherit_count > 0 && !c.column->generated_expr)
        out.push_back(helper + " ADD COLUMN " + helper_column(*c.column));
  for (const auto& c : child.columns) {
    if (c.column->is_local) continue;
    const std::string alter = only + " ALTER COLUMN " + quote_ident(c.column->name);
    if (c.default_sql) out.push_back(alter + " SET DEFAULT " + *c.default_sql);
    if (c.column->not_null) out.push_back(alter + " SET NOT NULL");
  }
  for (const auto& check : child.local_checks) out.push_back(only + " ADD " + check);
  for (const auto& check : child.inherited_checks) out.push_back(helper + " ADD " + check);

  for (const auto& parent : child.parents) out.push_back(only + " INHERIT " + parent);
  out.push_back(only + " NO INHERIT " + child.helper);
  out.push_back("DROP TABLE " + child.helper);
  return out;
}

}  // namespace pgclone::agent::ddl
