// CREATE TEXT SEARCH PARSER / TEMPLATE / DICTIONARY / CONFIGURATION (with
// ALTER ... ADD MAPPING), as pg_dump writes them. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/text_search_catalog.h"

namespace pgclone::agent::ddl {

// "TEXT SEARCH PARSER" ... by kind.
std::string text_search_kind(const catalog::TextSearchDefinition& object);
std::vector<std::string> text_search_statements(const catalog::TextSearchDefinition& object);

}  // namespace pgclone::agent::ddl
