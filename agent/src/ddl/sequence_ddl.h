// Stand-alone sequences (not owned by a column). Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/table_definition.h"

namespace pgclone::agent::ddl {

// CREATE [UNLOGGED] SEQUENCE with every parameter, then its comment.
std::vector<std::string> sequence_statements(const catalog::SequenceDefinition& sequence);

// setval(last_value, is_called): the position, set after the data.
std::string sequence_value_statement(const catalog::SequenceDefinition& sequence);

}  // namespace pgclone::agent::ddl
