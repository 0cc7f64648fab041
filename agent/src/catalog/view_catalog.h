// Views and materialized views of a scope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct ViewColumn {
  std::string name;
  std::string type;                      // format_type, for a placeholder view
  std::optional<std::string> collation;  // qualified; only when not the type's default
  std::optional<std::string> default_expr;
  std::optional<std::string> comment;
  // Materialized views' column settings (storage only when not the type's).
  std::optional<char> storage;
  std::optional<char> compression;
  std::optional<int> statistics_target;
  OptionList options;
};

struct ViewDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  char relkind = 'v';  // v view, m materialized view
  std::string query;   // pg_get_viewdef, without the trailing semicolon
  OptionList reloptions;  // security_barrier, check_option, security_invoker, fillfactor...
  bool populated = true;  // materialized views: relispopulated
  std::optional<std::string> comment;
  std::vector<ViewColumn> columns;
  std::vector<IndexDefinition> indexes;  // materialized views only, by name
  std::vector<TriggerDefinition> triggers;  // INSTEAD OF and statement triggers of views, by name
};

// Views and materialized views of the schemas that are not extension members,
// by schema then name.
std::vector<ViewDefinition> read_views(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
