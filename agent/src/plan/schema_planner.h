// Schema, database and functions clones: reads the whole scope from the
// source catalog and returns the ordered plan the executor runs.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "catalog/schema_catalog.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::plan {

struct CloneScope {
  std::vector<std::string> schemas;         // schemas to clone (a database clone passes every user schema)
  std::vector<std::string> include_tables;  // RE2 patterns (see table_filter.h); empty = all
  std::vector<std::string> exclude_tables;  // RE2 patterns
  bool indexes = true, constraints = true, triggers = true, matviews = true;
  bool functions_only = false;  // pgclone.functions(): only functions, procedures and aggregates of the schemas
  bool large_objects = false;   // database clones bring large objects (the executor copies their data)
  // table() of a partitioned table: only the relations handed to plan_clone
  // (the partition tree, see partition_tree()) and what hangs on them
  // (indexes, constraints, triggers, policies, statistics, privileges, owned
  // sequences, extensions they use); `schemas` are the tree's schemas, whose
  // own objects (types, functions, views...) are not cloned.
  bool relations_only = false;
  // Foreign data wrappers, servers, user mappings (plan/foreign_steps.h):
  // all of them (database clones) or those the foreign tables use; user
  // mappings' passwords only for a superuser's clone.
  bool all_foreign_servers = false;
  bool user_mapping_secrets = false;
  bool database_wide = false;   // database clones bring casts, transforms and access methods (in no schema)
  bool source_owners = false;   // "owner": "source": owner steps give every object its source owner
  // Database clones: default privileges of no schema, publications, event
  // triggers, large objects' ACLs (plan/database_object_steps.h) and labels
  // (plan/security_label_steps.h).
  bool database_objects = false;
  bool event_triggers = true;  // database clones: false leaves them out ("exclude_kinds")
  // Samples: only these tables (schema, name), partitions through their
  // trees, whatever the patterns say; empty: no such restriction.
  std::set<std::pair<std::string, std::string>> only_tables;
};

// Every user schema: not pg_catalog, information_schema, pg_toast, pg_temp_N,
// pg_toast_temp_N; not owned by an extension. A schema whose name merely
// starts with "pg" is a user schema.
std::vector<std::string> list_user_schemas(pg::Connection& source);

// The tables of the scope, read once under the job's snapshot: the executor
// locks them (ACCESS SHARE) before the rest of the catalog is read, as
// pg_dump does, and plan_clone plans from the same list. Tables are selected
// by the patterns; a partition follows the table at the top of its tree.
// Empty for functions().
struct ScopeRelations {
  std::vector<catalog::RelationEntry> tables;  // tables, partitioned tables, partitions and foreign tables to clone
  std::set<std::string> left_out;              // catalog keys of tables and matviews not cloned
};
ScopeRelations select_scope_relations(pg::Connection& source, const CloneScope& scope);

// The scope of table() of a partitioned table: the tree under root_oid.
ScopeRelations partition_tree(pg::Connection& source, const std::string& root_oid);

// Qualified, quoted names for LOCK TABLE.
std::vector<std::string> relations_to_lock(const ScopeRelations& relations);

// Reads the rest of the scope and returns the ordered plan. Preconditions
// (the executor's job): search_path = '' on the session and the job's
// REPEATABLE READ READ ONLY snapshot is open (the one `relations` was read in).
//
// Objects that depend on a table or materialized view left out are left out
// too (with a notice), except foreign keys, which still reference the table
// by name on the target (noted).
ClonePlan plan_clone(pg::Connection& source, const CloneScope& scope, ScopeRelations relations);

}  // namespace pgclone::agent::plan
