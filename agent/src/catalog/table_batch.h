// Tables whose definitions are read together: each part of a definition
// (columns, constraints, indexes, triggers) is read with one query for the
// whole batch, so a schema of 10,000 tables costs a handful of round trips
// instead of several per table. Internal to the catalog readers.
//
// Same preconditions as table_catalog.h: search_path = '' and, on a source,
// the job's snapshot.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

class TableBatch {
 public:
  // The definitions must already carry their oid; they are filled in place.
  explicit TableBatch(std::vector<TableDefinition>& tables);

  // pg_catalog.oid[] literal of every table, bound as $1 by the part readers.
  const std::string& oid_array() const { return oid_array_; }

  // The definition of a table of the batch (std::logic_error if not one).
  TableDefinition& table(const std::string& oid);

  size_t size() const { return by_oid_.size(); }

  template <typename Fn>
  void for_each(Fn&& fn) {
    for (auto& [oid, table] : by_oid_) fn(*table);
  }

 private:
  std::map<std::string, TableDefinition*> by_oid_;
  std::string oid_array_;
};

// Columns (with their attoptions), identity and OWNED BY sequences.
void read_columns(pg::Connection& conn, TableBatch& batch);
// PRIMARY KEY, UNIQUE, EXCLUDE, CHECK and FOREIGN KEY constraints.
void read_constraints(pg::Connection& conn, TableBatch& batch);
// Indexes not owned by a constraint.
void read_indexes(pg::Connection& conn, TableBatch& batch);
// Triggers, constraint triggers included; internal ones skipped.
void read_triggers(pg::Connection& conn, TableBatch& batch);

// "(n,m)" pairs of text items "attnum=target" (index column statistics).
IndexStatistics parse_index_statistics(const std::vector<std::string>& items);

}  // namespace pgclone::agent::catalog
