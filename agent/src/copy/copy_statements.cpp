#include "copy/copy_statements.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::copy {

namespace {

constexpr const char kOnly[] = "ONLY ";

// COPY of the table itself, where it reads the same rows: the server then
// scans the table without planning a query (half the source's time for a
// small table). Anything that changed the SELECT (a mask, a where, a
// sample's rows) keeps the SELECT.
std::string source_statement(const CopySource& source, const std::vector<std::string>& columns,
                             const std::string& column_list, const std::string& options) {
  if (!source.table_from.empty() && source.select == "SELECT " + ddl::join(columns) + " FROM " + source.table_from) {
    std::string table = source.table_from;
    if (table.rfind(kOnly, 0) == 0) table.erase(0, sizeof kOnly - 1);  // COPY reads no child's rows
    return "COPY " + table + column_list + " TO STDOUT " + options;
  }
  return "COPY (" + source.select + ") TO STDOUT " + options;
}

}  // namespace

CopyStatements copy_statements(const CopySource& source, const std::string& target_table,
                               const std::vector<std::string>& columns, bool binary, bool freeze) {
  const std::string format = binary ? "binary" : "text";
  const std::string column_list = columns.empty() ? "" : " (" + ddl::join(columns) + ")";
  return {source_statement(source, columns, column_list, "(FORMAT " + format + ")"),
          "COPY " + target_table + column_list + " FROM STDIN (FORMAT " + format + (freeze ? ", FREEZE)" : ")")};
}

}  // namespace pgclone::agent::copy
