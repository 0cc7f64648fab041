// Row-level security (flags and policies) and rewrite rules of the tables and
// views of a scope. Keyed by relation oid; the planner attaches them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct RowSecurity {
  std::string relation_oid;
  bool enabled = false;  // relrowsecurity
  bool forced = false;   // relforcerowsecurity
};

struct PolicyDefinition {
  std::string oid;
  std::string relation_oid;
  std::string name;
  bool permissive = true;
  char command = '*';              // polcmd: * all, r SELECT, a INSERT, w UPDATE, d DELETE
  std::vector<std::string> roles;  // quoted role names; "public" for PUBLIC
  std::optional<std::string> using_expr;
  std::optional<std::string> check_expr;
  std::optional<std::string> comment;
};

struct RuleDefinition {
  std::string oid;
  std::string relation_oid;
  std::string name;
  std::string definition;  // pg_get_ruledef, without the trailing semicolon
  char enabled = 'O';      // ev_enabled: O, D, R, A
  std::optional<std::string> comment;
};

// Relations of the schemas with row-level security enabled or forced.
std::vector<RowSecurity> read_row_security(pg::Connection& conn, const std::vector<std::string>& schemas);

std::vector<PolicyDefinition> read_policies(pg::Connection& conn, const std::vector<std::string>& schemas);

// Rules other than views' _RETURN rules.
std::vector<RuleDefinition> read_rules(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
