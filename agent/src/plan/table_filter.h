// Which tables of a schema or database clone are in scope: the "tables" and
// "exclude_tables" options, applied to partitions through their trees.
#pragma once

#include <string>
#include <vector>

#include "catalog/schema_catalog.h"
#include "pgclone/protocol/table_patterns.h"

namespace pgclone::agent::plan {

class TableFilter {
 public:
  // Empty include: every table. Patterns the options check let through
  // compile here too; any other raises pg::PgError 22023 (as wanted() does
  // if matching runs out of RE2's memory budget).
  TableFilter(const std::vector<std::string>& include, const std::vector<std::string>& exclude);

  // A partition is included with the top of its tree (or by its own name)
  // and excluded by its own name or any partitioned table above it.
  bool wanted(const catalog::RelationEntry& relation) const;

 private:
  protocol::TablePatterns include_, exclude_;
};

}  // namespace pgclone::agent::plan
