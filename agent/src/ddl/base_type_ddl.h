// CREATE TYPE for base and shell types, as pg_dump writes them. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/base_type_catalog.h"

namespace pgclone::agent::ddl {

// "CREATE TYPE name": what the I/O functions are created against.
std::string shell_type_statement(const catalog::BaseTypeDefinition& type);

// The full definition (the shell must exist), then its comment. A shell
// type left as a shell on the source: the shell statement and its comment.
std::vector<std::string> base_type_statements(const catalog::BaseTypeDefinition& type);

}  // namespace pgclone::agent::ddl
