#pragma once
// Which columns of which cloned tables get which mask: the "mask"/"masks"
// options (and a source's recorded masking policies) resolved against the
// tables a clone copies, read under the job's snapshot. Everything that would
// make the clone wrong is refused here, before anything is changed on the
// target: an unknown table or column, a mask the column cannot hold, a
// collapsing mask on a UNIQUE or PRIMARY KEY column, a mask on a foreign key
// whose referenced key is not masked the same way. Partitions and inheritance
// children without masks of their own take their parent's; a deterministic
// mask on a referenced key is carried over to every foreign key referencing it.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pgclone/protocol/mask_rules.h"
#include "pgclone/protocol/mask_sql.h"

namespace pgclone::agent::mask {

struct MaskRequest {
  // A table clone: its "mask" applies to `table` (quoted, qualified source name).
  const protocol::ColumnMasks* table_mask = nullptr;
  std::string table;
  std::optional<std::vector<std::string>> columns;  // the table clone's "columns" option
  // Schema and database clones: "masks".
  const protocol::MaskSpec* spec = nullptr;
  // "from_policies": the source's recorded policies, by raw "schema.table".
  std::map<std::string, protocol::ColumnMasks> policies;
};

struct ResolvedMasks {
  std::map<std::string, protocol::ColumnMasks> tables;  // by quoted, qualified source name
  std::vector<std::string> notices;                     // inherited and carried-over masks
  const protocol::ColumnMasks* of(const std::string& qualified) const;
};

// Throws pg::PgError 22023 naming the table, the column and the reason.
ResolvedMasks resolve_masks(const std::vector<const catalog::TableDefinition*>& tables, const MaskRequest& request);

// Columns of a PRIMARY KEY, UNIQUE constraint or unique index: only masks
// that keep values distinct may go there (protocol::unique_key_reason).
std::set<std::string> unique_key_columns(const catalog::TableDefinition& table);

// A catalog column as protocol/mask_sql.h sees it.
protocol::MaskColumn mask_column(const catalog::ColumnDefinition& column);

}  // namespace pgclone::agent::mask
