// Reading a sequence's definition, shared by the table reader (identity and
// owned sequences) and the schema reader (standalone sequences).
#pragma once

#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

// A row with columns seq_schema, seq_name, seq_type, seqstart, seqincrement,
// seqmin, seqmax, seqcache, seqcycle, relpersistence and comment; the position
// (last_value, is_called) is read from the sequence itself, under the caller's
// snapshot.
SequenceDefinition sequence_from_row(pg::Connection& conn, const pg::Result& r, int row);

}  // namespace pgclone::agent::catalog
