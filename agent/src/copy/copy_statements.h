#pragma once
// The COPY pair of one table's load: what the source sends and what the target
// takes, in the same format.

#include <string>
#include <vector>

namespace pgclone::agent::copy {

struct CopyStatements {
  std::string source;  // COPY (select) TO STDOUT (FORMAT ...)
  std::string target;  // COPY table [(columns)] FROM STDIN (FORMAT ...[, FREEZE])
};

// columns: the quoted target columns the select returns, in its order. Empty
// for a table without columns (it still has rows) or with generated ones only:
// COPY without a column list then takes zero fields per row. `freeze` needs
// the table created or truncated in the target's current transaction.
CopyStatements copy_statements(const std::string& source_select, const std::string& target_table,
                               const std::vector<std::string>& columns, bool binary, bool freeze = true);

}  // namespace pgclone::agent::copy
