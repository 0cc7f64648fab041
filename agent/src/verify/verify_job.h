#pragma once
// pgclone.verify(conninfo [, schema [, options]]) as a job of the agent:
// compares the source's tables with those of the caller's database, table by
// table, exactly (row counts, and content checksums in "checksum" mode), each
// side read inside one snapshot: the source's keeper exports one that every
// source worker imports (as the clones do), and a target keeper does the same
// on the target. Returns a JSON array, one object per table:
//   {"schema_name", "table_name", "source_rows", "target_rows", "match", "detail"}
// (rows null on the side without the table; detail null when it matches).

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::verify {

// Throws pg::PgError: 3F000 for a schema the source lacks, 22023 for bad
// options, and the sessions' errors as a clone would.
std::string verify(jobs::Job& job);

}  // namespace pgclone::agent::verify
