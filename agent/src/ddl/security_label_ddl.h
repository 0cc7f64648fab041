// SECURITY LABEL statements, as pg_dump writes them.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/security_label_catalog.h"

namespace pgclone::agent::ddl {

// "SECURITY LABEL FOR provider ON <KIND> <identity> IS 'label'"; nullopt for
// an object kind SECURITY LABEL does not take.
std::optional<std::string> security_label_statement(const catalog::SecurityLabel& label);

// What table() made on the target of the objects read_table_security_labels
// returns.
struct TableLabelTarget {
  std::string table_key;  // the source table's catalog key ("1259:16384")
  std::string table_sql;  // the target table, qualified and quoted (it may have another name)
  std::optional<std::vector<std::string>> columns;     // the cloned columns; nullopt: all
  std::map<std::string, std::string> owned_sequences;  // owning column -> the target's sequence (qualified)
  std::set<std::string> created_sequences;  // sequences its defaults call that the clone created (qualified)
};

// The labels of the table, its cloned columns and the sequences the clone
// created, naming the target's objects. Labels of what the clone did not
// create (a column left out, a sequence the target already had) are left out.
std::vector<std::string> table_security_label_statements(const std::vector<catalog::SecurityLabel>& labels,
                                                         const TableLabelTarget& target);

}  // namespace pgclone::agent::ddl
