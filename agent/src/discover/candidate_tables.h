#pragma once
// The tables a discovery looks at and the facts about their columns that
// decide which mask may go where, read from the same catalog definitions a
// clone reads (so a key, a foreign key or a generated column is judged
// exactly as the clone will judge it).

#include <optional>
#include <string>
#include <vector>

#include "catalog/schema_catalog.h"
#include "catalog/table_definition.h"
#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::agent::discover {

struct CandidateColumn {
  std::string name;
  protocol::SensitiveColumn facts;
  // Text of some kind: its values can be sampled for their shapes.
  bool samplable = false;
  // What the type alone says (inet, cidr: IP addresses).
  std::optional<protocol::SensitiveKind> kind_by_type;
};

struct CandidateTable {
  std::string key;        // the "masks" key: the table's name within the schema
  std::string qualified;  // quoted schema.table
  std::string from;       // what a sample reads: "ONLY s.t", or "s.t" for a partitioned table
  std::int64_t bytes = 0;
  std::vector<CandidateColumn> columns;
};

// Ordinary and partitioned tables of `definitions` (partitions left out:
// they take their parent's masks in a clone), in the order given.
// `relations` are the entries the definitions were read from.
std::vector<CandidateTable> candidate_tables(const std::vector<catalog::TableDefinition>& definitions,
                                             const std::vector<catalog::RelationEntry>& relations);

}  // namespace pgclone::agent::discover
