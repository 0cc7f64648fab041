// Reading a sequence's definition, shared by the table reader (identity and
// owned sequences) and the schema reader (standalone sequences).
#pragma once

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
