// CREATE CONVERSION, CREATE CAST and CREATE TRANSFORM, as pg_dump writes them. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/conversion_catalog.h"

namespace pgclone::agent::ddl {

std::vector<std::string> conversion_statements(const catalog::ConversionDefinition& conversion);
std::vector<std::string> cast_statements(const catalog::CastDefinition& cast);
std::vector<std::string> transform_statements(const catalog::TransformDefinition& transform);

// "(a AS b)" and "FOR t LANGUAGE l": how casts and transforms are named.
std::string cast_name(const catalog::CastDefinition& cast);
std::string transform_name(const catalog::TransformDefinition& transform);

}  // namespace pgclone::agent::ddl
