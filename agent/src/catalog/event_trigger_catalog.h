// Event triggers of the source database: objects of the database, so only
// database clones bring them. Extension members are left out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct EventTriggerDefinition {
  std::string oid, name;  // name unquoted
  std::string event;      // ddl_command_start, ddl_command_end, sql_drop, table_rewrite
  std::vector<std::string> tags;  // WHEN TAG IN (...); empty for every tag
  std::string function_oid;
  std::string function;   // quoted, qualified name of the function
  char enabled = 'O';     // evtenabled: O origin (the default), D disabled, R replica, A always
  std::optional<std::string> comment;
};

// Ordered by name.
std::vector<EventTriggerDefinition> read_event_triggers(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
