#pragma once
// What masks need from the source beyond its catalog, read in the job's
// snapshot before anything changes on the target: the masking policies a
// source records ("masks": {"from_policies": true}), and the checks only the
// source's data and types can answer (a constant the column's type rejects, an
// e-mail mask whose values would outgrow varchar(n)). Only numbers leave the
// source: lengths, never values.

#include <map>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "mask/table_masks.h"
#include "pg/connection.h"

namespace pgclone::agent::mask {

// The masks of the source database's pgclone.masking_policies, by raw
// "schema.table". Throws pg::PgError 22023 when the source records none
// (pgclone is not installed there).
std::map<std::string, protocol::ColumnMasks> read_source_policies(pg::Connection& source);

// Throws pg::PgError 22023 naming the table, column and reason.
void check_masks_on_source(pg::Connection& source, const std::vector<const catalog::TableDefinition*>& tables,
                           const ResolvedMasks& masks);

}  // namespace pgclone::agent::mask
