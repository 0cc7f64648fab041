#pragma once
// The SELECT a masked table's COPY runs on the source: each masked column's
// expression (protocol/mask_sql.h) in place of the column, cast to its type so
// that binary COPY still applies; shuffled columns come from a second scan of
// the table, numbered in random order and joined by row number.

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pgclone/protocol/mask_rules.h"

namespace pgclone::agent::mask {

// copy_columns: the quoted columns COPY writes, in order; from: what follows
// FROM (e.g. "ONLY s.t"); where: the row filter, if any.
std::string masked_copy_select(const catalog::TableDefinition& table, const std::vector<std::string>& copy_columns,
                               const protocol::ColumnMasks& masks, const std::string& from,
                               const std::optional<std::string>& where);

}  // namespace pgclone::agent::mask
