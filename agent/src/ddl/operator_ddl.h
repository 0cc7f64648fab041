// CREATE OPERATOR, OPERATOR FAMILY, OPERATOR CLASS and ACCESS METHOD, as
// pg_dump writes them. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/operator_catalog.h"

namespace pgclone::agent::ddl {

// A commutator or negator that does not exist yet becomes a shell operator,
// which its own CREATE OPERATOR later completes: operators need no order
// among themselves.
std::vector<std::string> operator_statements(const catalog::OperatorDefinition& op);
std::vector<std::string> operator_family_statements(const catalog::OperatorFamilyDefinition& family);
// ALTER OPERATOR FAMILY ... ADD for the members no class owns; empty when none.
std::vector<std::string> operator_family_member_statements(const catalog::OperatorFamilyDefinition& family);
std::vector<std::string> operator_class_statements(const catalog::OperatorClassDefinition& opclass);
// An access method of the same name, type and handler on the target is kept
// (a database clone run again); one that differs fails with 42710.
std::vector<std::string> access_method_statements(const catalog::AccessMethodDefinition& am);

}  // namespace pgclone::agent::ddl
