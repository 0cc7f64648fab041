// Row-level security, policies and rules. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/policy_catalog.h"

namespace pgclone::agent::ddl {

// ALTER TABLE ... ENABLE / FORCE ROW LEVEL SECURITY.
std::vector<std::string> row_security_statements(const catalog::RowSecurity& rls, const std::string& table_qualified);

// CREATE POLICY with AS RESTRICTIVE, FOR <command>, TO <roles>, USING, WITH
// CHECK as set; then its comment. Roles missing on the target make it fail
// there, which the executor reports.
std::vector<std::string> policy_statements(const catalog::PolicyDefinition& policy, const std::string& table_qualified);

// pg_get_ruledef, the rule's enabled state and its comment.
std::vector<std::string> rule_statements(const catalog::RuleDefinition& rule, const std::string& relation_qualified);

}  // namespace pgclone::agent::ddl
