// Publications (logical replication) of the source database: objects of the
// database, not of a schema, so only database clones bring them. Extension
// members are left out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

constexpr unsigned kPgPublication = 6104;

struct PublicationTable {
  std::string relation_oid;
  std::string schema, name;          // unquoted
  std::vector<std::string> columns;  // the column list (unquoted), empty for all columns
  std::string row_filter;            // pg_get_expr of the WHERE clause, empty for none
};

struct PublicationDefinition {
  std::string oid, name;  // name unquoted
  bool all_tables = false;
  bool publish_insert = true, publish_update = true, publish_delete = true, publish_truncate = true;
  bool via_partition_root = false;
  std::vector<PublicationTable> tables;
  std::vector<std::string> schemas;  // FOR TABLES IN SCHEMA (unquoted)
  std::optional<std::string> comment;
};

// Ordered by name.
std::vector<PublicationDefinition> read_publications(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
