// Turns a TableDefinition into the SQL that recreates it on a target. Pure: no
// I/O, so every statement can be unit-tested exactly. Statements carry no
// OWNER: the target session runs as the calling role, which then owns them.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/table_definition.h"

namespace pgclone::agent::ddl {

struct TableDdlOptions {
  std::string target_schema;  // empty = the source schema
  std::string target_table;   // empty = the source table name
  bool include_indexes = true;      // indexes not owned by a constraint
  bool include_constraints = true;  // CHECK, PRIMARY KEY, UNIQUE, EXCLUDE, FOREIGN KEY
  bool include_triggers = true;
  // Clone only these columns (in the table's own order). Unknown names:
  // PgError 42703. Objects needing other columns are left out with a notice.
  std::optional<std::vector<std::string>> columns;
  // Relation names already used in the target schema; generated index and
  // sequence names avoid them. Only consulted when the table is renamed.
  std::set<std::string> taken_relation_names;
  // Schema and database clones: recreate the table where it sits in its
  // hierarchy (PARTITION BY, ATTACH PARTITION to its parent, INHERITS with
  // only the local columns and constraints), leave out what the parent gives
  // the child by itself (FKs and triggers cloned onto partitions), and read
  // an inheritance parent's own rows FROM ONLY. Off for table(), which clones
  // a partition or child as a standalone table.
  bool hierarchy = false;
  // Schema and database clones: a foreign key valid on the source is added
  // NOT VALID and checked by a separate kForeignKeyValidation item, so several
  // can be checked at once on separate connections. Not for a partitioned
  // table: PostgreSQL 15 refuses NOT VALID there.
  bool validate_foreign_keys_separately = false;
};

// What a post_data statement is about, so a schema clone can split a table's
// post_data into steps ordered and run separately (FKs after every table).
enum class PostKind { kConstraint, kIndex, kTableProperty, kForeignKey, kForeignKeyValidation, kTrigger, kSequenceValue };

struct PostItem {
  PostKind kind;
  std::string object;  // constraint, index or trigger name as created; sequence qualified name; "" for table properties
  std::string statement;
};

struct TableDdlPlan {
  // Before the data: owned sequences, CREATE TABLE (columns with defaults, NOT
  // NULL, generated, identity with its sequence options, collations, validated
  // CHECK constraints inline, reloptions, UNLOGGED), ALTER SEQUENCE ... OWNED BY,
  // column storage/compression/statistics/options, comments on table, columns
  // and sequences.
  std::vector<std::string> pre_data;
  // After the data: PRIMARY KEY/UNIQUE/EXCLUDE, other indexes, CLUSTER ON,
  // REPLICA IDENTITY, FOREIGN KEYs (self-references pointed at the target),
  // NOT VALID CHECKs, constraint/index comments, triggers and their enabled
  // state, then setval() for identity and owned sequences.
  std::vector<std::string> post_data;
  std::vector<PostItem> post_items;  // post_data again, statement for statement, labelled
  std::vector<std::string> copy_columns;  // quoted, non-generated, within `columns`
  std::string source_copy_select;         // SELECT <copy_columns> FROM <source_from>
  std::string source_from;                // the source table, with ONLY for an inheritance parent
  bool whole_table_copy = false;          // COPY of source_from's table reads source_copy_select's rows
  bool binary_copy = true;                // false when a copied column's type is not binary-safe
  std::vector<std::string> notices;       // what was left out or changed, and why
};

TableDdlPlan plan_table_ddl(const catalog::TableDefinition& def, const TableDdlOptions& opts);

// Statements that move an existing target table aside to "<name>_old"
// (conflict = rename): the table, its indexes, its constraints (renaming an
// index-backed constraint renames its index too) and its identity/owned
// sequences. New names follow adapt_name() and avoid taken_relation_names,
// which is updated (old names freed, new names taken) so the caller can plan
// the replacement table with it.
std::vector<std::string> rename_aside_statements(const catalog::TableDefinition& existing_on_target,
                                                 std::set<std::string>& taken_relation_names);

}  // namespace pgclone::agent::ddl
