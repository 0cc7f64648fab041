// Plain description of one table as read from a source catalog: everything the
// DDL planner needs to recreate it so that pg_dump --schema-only of source and
// clone match (apart from owner). Names are raw (unquoted); texts produced by
// pg_get_*def / pg_get_expr / format_type are kept verbatim and are fully
// schema-qualified because the reader runs with search_path = ''.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgclone::agent::catalog {

// (name, value) pairs as returned by pg_options_to_table().
using OptionList = std::vector<std::pair<std::string, std::string>>;

struct SequenceDefinition {
  std::string schema;
  std::string name;
  std::string type = "bigint";  // format_type of seqtypid
  long long start = 1;
  long long increment = 1;
  long long min_value = 1;
  long long max_value = 9223372036854775807LL;
  long long cache = 1;
  bool cycle = false;
  long long last_value = 1;
  bool is_called = false;
  bool unlogged = false;
  std::string owner_column;  // column that owns it (identity or OWNED BY)
  std::optional<std::string> comment;
};

struct ColumnDefinition {
  int attnum = 0;
  std::string name;
  std::string type;  // format_type(atttypid, atttypmod)
  bool not_null = false;
  std::optional<std::string> default_expr;    // pg_get_expr text; not for generated columns
  std::optional<std::string> generated_expr;  // GENERATED ALWAYS AS (<this>) STORED
  std::vector<std::string> generated_depends_on;  // columns the generation expression reads
  char identity = '\0';  // 'a' ALWAYS, 'd' BY DEFAULT, '\0' none
  std::optional<SequenceDefinition> identity_sequence;
  std::optional<std::string> collation;  // qualified and quoted; only when not the type's default
  std::optional<char> storage;           // attstorage, only when it differs from typstorage
  std::optional<char> compression;       // 'p' pglz, 'l' lz4; unset = default
  std::optional<int> statistics_target;  // only when set (attstattarget >= 0)
  OptionList options;                    // attoptions set by the user (server-managed pg_* ones are skipped)
  std::optional<std::string> comment;
  // Binary COPY carries type OIDs inside arrays and composites, and user types
  // have different OIDs on another server; see catalog reader for the rule.
  bool binary_copy_safe = true;
  // What masks need to know (domains stripped): pg_type.typcategory and
  // typname of the base type, and n of varchar(n) / char(n) (-1: no limit).
  char base_category = 'U';
  std::string base_type;
  int char_limit = -1;
  // Inheritance / partitioning (attislocal, attinhcount). A column that is not
  // local comes from the parents, with their default and NOT NULL; what the
  // parents would give is kept so the child can be corrected afterwards.
  bool is_local = true;
  int inherit_count = 0;
  std::optional<std::string> inherited_default;
  bool inherited_not_null = false;
  bool inherited_generated = false;  // a parent's column of that name is generated (its expression is inherited)
  OptionList fdw_options;  // a foreign table's column OPTIONS (attfdwoptions)
};

// (index column number, statistics target) for ALTER INDEX ... ALTER COLUMN n SET STATISTICS.
using IndexStatistics = std::vector<std::pair<int, int>>;

struct ConstraintDefinition {
  std::string name;
  char type = 'c';         // contype: c, f, p, u, x (constraint triggers are in triggers)
  std::string definition;  // pg_get_constraintdef
  bool deferrable = false;
  bool deferred = false;
  bool validated = true;
  std::optional<std::string> comment;
  std::vector<std::string> columns;  // every column of this table it needs
  // FOREIGN KEY only
  std::vector<std::string> fk_columns;         // conkey, in order
  std::string referenced_table;                // qualified, quoted
  std::vector<std::string> referenced_columns; // confkey, in order
  bool self_reference = false;
  // PRIMARY KEY / UNIQUE / EXCLUDE: the index behind it (same name as the constraint)
  std::optional<std::string> index_name;
  std::optional<std::string> index_comment;
  bool index_clustered = false;
  bool index_replica_identity = false;
  IndexStatistics index_statistics;
  // pg_get_constraintdef leaves the index's WITH (...) out for PRIMARY KEY and
  // UNIQUE (it prints them for EXCLUDE), so they are carried separately.
  OptionList index_options;
  // Inheritance / partitioning: a CHECK that only came from a parent is not
  // local; a FOREIGN KEY cloned onto a partition from its parent has one.
  bool is_local = true;
  int inherit_count = 0;
  bool from_parent = false;      // conparentid <> 0
  std::string parent_index;      // PK/UNIQUE of a partition: the parent's index it is attached to (qualified)
  std::string referenced_index;  // FOREIGN KEY: the referenced table's unique index (qualified)
  std::string oid;
};

// Indexes not owned by a constraint.
struct IndexDefinition {
  std::string name;
  std::string definition;  // pg_get_indexdef
  bool unique = false;
  bool valid = true;
  std::vector<std::string> columns;  // key, INCLUDE, expression and predicate columns
  bool clustered = false;
  bool replica_identity = false;
  std::optional<std::string> comment;
  IndexStatistics statistics;
  std::string parent_index;  // index of a partition attached to its parent's index (qualified)
  std::string oid;
};

struct TriggerDefinition {
  std::string name;
  std::string definition;  // pg_get_triggerdef
  char enabled = 'O';      // tgenabled: O origin/local, D disabled, R replica, A always
  int type = 0;            // tgtype bits
  bool is_constraint = false;  // CREATE CONSTRAINT TRIGGER
  std::vector<std::string> update_columns;  // UPDATE OF, in tgattr order
  std::vector<std::string> columns;         // UPDATE OF plus columns used by WHEN
  std::optional<std::string> comment;
  bool from_parent = false;  // tgparentid <> 0: created by a trigger on the partitioned parent
};

struct TableDefinition {
  std::string schema;
  std::string name;
  bool unlogged = false;
  char replica_identity = 'd';  // relreplident: d default, n nothing, f full, i index
  OptionList reloptions;
  OptionList toast_reloptions;
  std::optional<std::string> comment;
  std::vector<ColumnDefinition> columns;             // attnum order, dropped columns skipped
  std::vector<SequenceDefinition> owned_sequences;   // OWNED BY (serial style), not identity
  std::vector<ConstraintDefinition> constraints;     // by name
  std::vector<IndexDefinition> indexes;              // by name
  std::vector<TriggerDefinition> triggers;           // by name
  // Where it sits in a hierarchy (read by read_relation_definition).
  std::string oid;
  char relkind = 'r';                 // 'r' table, 'p' partitioned table, 'f' foreign table
  std::string partition_key;          // pg_get_partkeydef, for relkind 'p'
  std::string partition_parent;       // qualified parent when this is a partition
  std::string partition_bound;        // pg_get_expr(relpartbound): FOR VALUES ... / DEFAULT
  std::vector<std::string> inherits;  // qualified inheritance parents, in inhseqno order (not partitions)
  // The inheritance parents' columns, parent by parent in inhseqno order, each
  // in attnum order (dropped ones skipped): what CREATE TABLE ... INHERITS
  // puts first in the child.
  std::vector<std::string> parent_columns;
  bool has_children = false;          // inheritance parent: its own rows are read FROM ONLY
  // A typed table (CREATE TABLE ... OF type): format_type of reloftype.
  std::string of_type;
  // A foreign table (relkind 'f'): its server and OPTIONS; it has no data to copy.
  std::string foreign_server;
  OptionList foreign_options;
  // Facts the planner cannot act on but should report.
  std::vector<std::string> notes;
};

}  // namespace pgclone::agent::catalog
