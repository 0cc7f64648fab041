// CREATE TYPE / CREATE DOMAIN statements, with comments. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/type_catalog.h"

namespace pgclone::agent::ddl {

// The statements that recreate the type under its own schema and name: the
// CREATE, NOT VALID domain constraints (added afterwards, as they may not hold
// for existing data), then comments on the type, its constraints and
// attributes. No OWNER.
std::vector<std::string> type_statements(const catalog::TypeDefinition& type);

}  // namespace pgclone::agent::ddl
