// Reading a sequence's definition, shared by the table reader (identity and
// owned sequences) and the schema reader (standalone sequences).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

// A row with columns seq_schema, seq_name, seq_type, seqstart, seqincrement,
// seqmin, seqmax, seqcache, seqcycle, relpersistence and comment. The
// position is not in the catalog: read_sequence_positions fills it.
SequenceDefinition sequence_from_row(const pg::Result& r, int row);

// Fills last_value and is_called of each sequence by reading the sequence
// relations themselves (under the caller's snapshot), a few hundred per
// round trip.
void read_sequence_positions(pg::Connection& conn, const std::vector<SequenceDefinition*>& sequences);

}  // namespace pgclone::agent::catalog

namespace pgclone::agent::catalog {

// A sequence a column default of the table uses (pg_depend from the
// pg_attrdef entry, deptype 'n') and that the table does not bring itself:
// not owned by one of `cloned_columns` of this very table (those the table
// DDL creates with OWNED BY), nor an identity sequence. Positions are read
// in the caller's snapshot. Sorted by schema and name, each sequence once.
struct DefaultSequence {
  SequenceDefinition sequence;
  std::vector<std::string> used_by;  // the cloned columns whose defaults call it
  std::string owner;                 // the sequence's owner role (unquoted)
  std::optional<std::vector<std::string>> acl;  // its ACL's items; nullopt: the default
};
std::vector<DefaultSequence> read_default_sequences(pg::Connection& conn, const std::string& table_oid,
                                                    const std::vector<std::string>& cloned_columns);

}  // namespace pgclone::agent::catalog
