#pragma once
// The source database's tables and the foreign keys between them, as a
// sample follows them: which tables a sample reaches, and which rows of a
// table the sampled rows of another reference (sample/).

#include <map>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct SampledRelation {
  std::string oid;
  std::string schema, name;
  char relkind = 'r';                  // 'r' holds rows, 'p' only routes them to partitions
  std::string root_oid;                // top of its partition tree (itself when not a partition)
  std::vector<std::string> ancestors;  // itself, then the partitioned tables above it
  double reltuples = -1;               // the planner's estimate (-1: never analyzed)
};

// One foreign key, from the table that has it (child) to the table it
// references (parent); columns quoted, in key order. Foreign keys that
// partitions inherit are left out: the one of the partitioned table stands
// for them.
struct ForeignKeyEdge {
  std::string child_oid, parent_oid;
  std::vector<std::string> child_columns, parent_columns;
  // format_type() of each column (with typmod): a value read as text from
  // one side is cast back to its own type, exactly, before it is compared.
  std::vector<std::string> child_types, parent_types;
};

struct ForeignKeyGraph {
  std::map<std::string, SampledRelation> relations;  // by oid: every user table
  std::vector<ForeignKeyEdge> edges;

  const SampledRelation& relation(const std::string& oid) const;
  // Whether rows stored in `leaf` are rows of `table` (the same table, or a
  // partitioned table above it).
  bool holds_rows_of(const std::string& leaf, const std::string& table) const;
};

// Read in the job's snapshot (search_path = '').
ForeignKeyGraph read_foreign_key_graph(pg::Connection& source);

}  // namespace pgclone::agent::catalog
