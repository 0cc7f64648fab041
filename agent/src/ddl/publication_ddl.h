// CREATE PUBLICATION as pg_dump writes it: the publication with its publish
// options, then each table (ONLY, with its column list and row filter) and
// each schema added by ALTER PUBLICATION. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/publication_catalog.h"

namespace pgclone::agent::ddl {

// `publication.tables` and `.schemas` are those to add (the caller leaves
// out what the clone does not bring).
std::vector<std::string> publication_statements(const catalog::PublicationDefinition& publication);

}  // namespace pgclone::agent::ddl
