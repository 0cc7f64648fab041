#include "copy/copy_statements.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::copy {

CopyStatements copy_statements(const std::string& source_select, const std::string& target_table,
                               const std::vector<std::string>& columns, bool binary, bool freeze) {
  const std::string format = binary ? "binary" : "text";
  const std::string column_list = columns.empty() ? "" : " (" + ddl::join(columns) + ")";
  return {"COPY (" + source_select + ") TO STDOUT (FORMAT " + format + ")",
          "COPY " + target_table + column_list + " FROM STDIN (FORMAT " + format + (freeze ? ", FREEZE)" : ")")};
}

}  // namespace pgclone::agent::copy
