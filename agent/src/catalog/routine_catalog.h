// Functions, procedures and aggregates of a scope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

// pg_aggregate, with function and type references as the server prints them
// (qualified and quoted under search_path = ''); empty = not set.
struct AggregateDefinition {
  char kind = 'n';  // aggkind: n normal, o ordered-set, h hypothetical-set
  std::string transition_function, state_type, final_function, combine_function, serial_function,
      deserial_function;
  std::string moving_transition_function, moving_inverse_function, moving_state_type, moving_final_function;
  std::optional<std::string> initial_condition, moving_initial_condition;
  bool final_extra = false, moving_final_extra = false;
  char final_modify = 'r', moving_final_modify = 'r';
  int state_space = 0, moving_state_space = 0;
  std::string sort_operator;  // "OPERATOR(schema.op)" or empty
};

struct RoutineDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  char kind = 'f';              // prokind: f function, p procedure, a aggregate, w window
  std::string arguments;        // pg_get_function_arguments (aggregates: with ORDER BY for ordered-set)
  std::string identity_arguments;  // pg_get_function_identity_arguments, for COMMENT ON
  std::string definition;       // pg_get_functiondef (not for aggregates)
  char parallel = 'u';          // proparallel
  std::optional<std::string> comment;
  std::optional<AggregateDefinition> aggregate;
};

// Every function, procedure and aggregate of the schemas that is not an
// extension member, by schema, name and identity arguments.
std::vector<RoutineDefinition> read_routines(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
