// The outline of a clone's scope: which schemas, extensions and relations
// exist. The details of each object come from the per-kind readers.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct SchemaDefinition {
  std::string oid;
  std::string name;
  std::optional<std::string> comment;
};

struct ExtensionDefinition {
  std::string oid;
  std::string name;
  std::string schema;  // where its objects live
};

// A relation of the scope, before its details are read.
struct RelationEntry {
  std::string oid;
  std::string schema;
  std::string name;
  char relkind = 'r';  // r, p, v, m, S
  // Partitions: the partitioned tables above, top first, as (schema, name).
  // The include/exclude filters look at them too.
  std::vector<std::pair<std::string, std::string>> ancestors;
  // The main fork's size plus its TOAST table's (see kRelationColumns).
  std::int64_t bytes = 0;
};

struct StandaloneSequence {
  std::string oid;
  SequenceDefinition definition;
};

// Every user schema (see plan::list_user_schemas), by name.
std::vector<std::string> list_user_schemas(pg::Connection& conn);

// Those of `names` that exist, with their comments, in the given order.
std::vector<SchemaDefinition> read_schemas(pg::Connection& conn, const std::vector<std::string>& names);

std::vector<ExtensionDefinition> read_extensions(pg::Connection& conn);

// Tables, partitioned tables, views, materialized views and sequences of the
// schemas that are not extension members, by schema then name.
std::vector<RelationEntry> list_relations(pg::Connection& conn, const std::vector<std::string>& schemas);

// A partitioned table and every partition below it (sub-partitions too),
// the root first, then level by level; ancestors stop at the root. Foreign
// tables attached as partitions are left out (they hold no data here).
std::vector<RelationEntry> list_partition_tree(pg::Connection& conn, const std::string& root_oid);

// Sequences of the schemas not owned by any column (identity and OWNED BY
// sequences are recreated with their table), with their current position.
std::vector<StandaloneSequence> read_standalone_sequences(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
