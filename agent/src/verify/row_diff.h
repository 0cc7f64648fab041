#pragma once
// The "detail" of a mismatching table with a key: both sides stream
// (key, row hash) ordered by the key's text under the "C" collation, in
// batches through a cursor, and the two streams are merged. Memory stays
// at two batches whatever the table's size.

#include <string>
#include <vector>

#include "jobs/job.h"
#include "pg/connection.h"
#include "verify/checksum_sql.h"

namespace pgclone::agent::verify {

struct RowDifference {
  std::vector<std::string> key_values;  // the key columns' text, in key order
  std::string difference;               // "changed", "missing on target", "missing on source"
};

struct RowDiff {
  std::vector<RowDifference> rows;  // at most `limit`
  bool more = false;                // more differences exist beyond them
};

// Both connections are inside their side's snapshot (the cursor lives in
// that transaction and is closed before returning). The row hash covers
// `columns` (the compared ones) on both sides.
RowDiff diff_rows(jobs::Job& job, pg::Connection& source, pg::Connection& target, const std::string& source_table,
                  const std::string& target_table, const std::vector<std::string>& columns,
                  const std::vector<std::string>& key_columns, const RowHash& method, int limit);

}  // namespace pgclone::agent::verify
