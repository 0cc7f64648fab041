// Rewrites of server-generated definitions (pg_get_indexdef, pg_get_triggerdef,
// pg_get_constraintdef) for a new object or table name. No fuzzy search and
// replace: the exact prefix the server prints is recomputed from the known
// names, checked, and swapped; a mismatch is a bug (std::logic_error), never a
// silently wrong statement.
#pragma once

#include <string>

#include "catalog/table_definition.h"

namespace pgclone::agent::ddl {

// "CREATE [UNIQUE ]INDEX <name> ON [ONLY ]<table> USING ..." with a new index
// name and table (both already quoted/qualified as needed by the caller).
std::string rewrite_index_definition(const catalog::IndexDefinition& index, const std::string& source_table_qualified,
                                     const std::string& new_index_name, const std::string& target_table_qualified);

// The text pg_get_triggerdef prints before the part that follows the table:
// "CREATE [CONSTRAINT ]TRIGGER <name> <timing> <events> ON <table> ".
std::string trigger_definition_prefix(const catalog::TriggerDefinition& trigger, const std::string& table_qualified);

std::string rewrite_trigger_definition(const catalog::TriggerDefinition& trigger,
                                       const std::string& source_table_qualified,
                                       const std::string& target_table_qualified);

// "ALTER TABLE <table> {ENABLE|DISABLE|ENABLE REPLICA|ENABLE ALWAYS} TRIGGER
// <name>" giving a trigger the firing state tgenabled says (O, D, R, A).
// CREATE TRIGGER leaves a trigger in state O; on a partitioned table the
// statement also sets the state of its partitions' triggers.
std::string trigger_state_statement(const std::string& table_qualified, const std::string& trigger_name, char enabled);

// A self-referencing FOREIGN KEY definition pointed at the target table:
// "FOREIGN KEY (<cols>) REFERENCES <table>(..." .
std::string rewrite_self_fk_definition(const catalog::ConstraintDefinition& fk,
                                       const std::string& source_table_qualified,
                                       const std::string& target_table_qualified);

// A PRIMARY KEY / UNIQUE definition with its index's WITH (...) put back where
// the grammar wants it: before " DEFERRABLE[ INITIALLY DEFERRED]".
std::string constraint_definition_with_index_options(const catalog::ConstraintDefinition& constraint);

}  // namespace pgclone::agent::ddl
