#pragma once
// Compares one table of pgclone.verify on a worker's pair of sessions (each
// inside its side's snapshot): row counts, and in checksum mode the content
// checksums of the compared columns (the source's columns minus
// "columns_excluded", by name); with "detail", the differing rows' keys.

#include "jobs/job.h"
#include "pg/connection.h"
#include "pgclone/protocol/verify_options.h"
#include "verify/table_verdict.h"
#include "verify/verify_tables.h"

namespace pgclone::agent::verify {

// A table on either side or both (never neither).
struct TableTask {
  const VerifyTable* source = nullptr;
  const VerifyTable* target = nullptr;
};

TableVerdict compare_table(jobs::Job& job, const TableTask& task, const protocol::VerifyOptions& options,
                           pg::Connection& source, pg::Connection& target);

}  // namespace pgclone::agent::verify
