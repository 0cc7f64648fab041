// CREATE STATISTICS and CREATE COLLATION. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/extra_objects_catalog.h"

namespace pgclone::agent::ddl {

std::vector<std::string> statistics_statements(const catalog::StatisticsDefinition& statistics);
std::vector<std::string> collation_statements(const catalog::CollationDefinition& collation);

}  // namespace pgclone::agent::ddl
