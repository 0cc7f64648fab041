// Functions, procedures and aggregates. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/routine_catalog.h"

namespace pgclone::agent::ddl {

// Functions and procedures: pg_get_functiondef's CREATE OR REPLACE text as is;
// aggregates: CREATE AGGREGATE rebuilt from pg_aggregate. Then the comment.
std::vector<std::string> routine_statements(const catalog::RoutineDefinition& routine);

// "schema.name(identity arguments)" as COMMENT ON FUNCTION etc. expect it.
std::string routine_signature(const catalog::RoutineDefinition& routine);

}  // namespace pgclone::agent::ddl
