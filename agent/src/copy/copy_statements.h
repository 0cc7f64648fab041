#pragma once
// The COPY pair of one table's load: what the source sends and what the target
// takes, in the same format.

#include <string>
#include <vector>

namespace pgclone::agent::copy {

// What the source side of a table's COPY reads.
struct CopySource {
  std::string select;      // SELECT <columns> FROM ..., masks and filters applied
  // The planned FROM ("s.t" or "ONLY s.t") when a COPY of the table itself
  // reads the same rows as "SELECT <columns> FROM <table_from>"; "" when it
  // does not (a parent whose children's rows are read too). Used only while
  // `select` is still exactly that plain SELECT.
  std::string table_from;
};

struct CopyStatements {
  std::string source;  // COPY s.t [(columns)] TO STDOUT, or COPY (select) TO STDOUT (FORMAT ...)
  std::string target;  // COPY table [(columns)] FROM STDIN (FORMAT ...[, FREEZE])
};

// columns: the quoted target columns the select returns, in its order. Empty
// for a table without columns (it still has rows) or with generated ones only:
// COPY without a column list then takes zero fields per row. `freeze` needs
// the table created or truncated in the target's current transaction.
CopyStatements copy_statements(const CopySource& source, const std::string& target_table,
                               const std::vector<std::string>& columns, bool binary, bool freeze = true);

}  // namespace pgclone::agent::copy
