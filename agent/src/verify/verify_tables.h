#pragma once
// The tables pgclone.verify compares, read the same way on both sides: the
// clone's own scope (catalog::list_relations and the "tables" /
// "exclude_tables" filter, so a partition follows its tree), narrowed to the
// relations that hold rows themselves (ordinary tables and partitions; a
// partitioned table's rows are its partitions', foreign tables and views
// hold none here).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pg/connection.h"
#include "plan/table_filter.h"

namespace pgclone::agent::verify {

struct VerifyTable {
  std::string schema;
  std::string name;
  std::string qualified;                  // quoted schema.name
  std::vector<std::string> columns;       // in attnum order
  // Per column: whether its values can be hashed by their type's own hash
  // function (a default hash operator class, a deterministic collation), so
  // that hash_record_extended() works on them (see checksum_sql.h).
  std::vector<bool> hashable;
  // The primary key, else the narrowest unique index over NOT NULL columns
  // only (no expressions, no predicate); empty when there is none.
  std::vector<std::string> key_columns;
  std::int64_t bytes = 0;  // pg_relation_size, to start with the largest
};

using TableKey = std::pair<std::string, std::string>;  // (schema, name)

// Runs inside the side's snapshot, with search_path = ''.
std::map<TableKey, VerifyTable> read_verify_tables(pg::Connection& connection, const std::vector<std::string>& schemas,
                                                   const plan::TableFilter& filter);

// Those of `schemas` that exist on this side.
std::vector<std::string> existing_schemas(pg::Connection& connection, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::verify
