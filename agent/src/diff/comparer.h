#pragma once
// Compares the snapshots of the source and the target (no connection
// involved, so it is unit-tested on its own).
//
// Rules:
//  - objects are matched by key (name, function signature, table + name for
//    per-table objects): a rename is one only_in_source plus one
//    only_in_target, a changed property one modified entry listing what
//    changed with both values;
//  - an object that depends on something present on one side only (its
//    table or view, a column it uses, the table a foreign key references, the
//    function or sequence a privilege is on) is not reported, whether it is
//    missing or differs (a renamed table's serial sequence is owned by
//    another table): that one's entry already says it;
//  - a table counts once in diff_count however many of its columns changed.

#include <string>
#include <vector>

#include "diff/schema_snapshot.h"

namespace pgclone::agent::diff {

struct Change {
  std::string what;
  Value source, target;
};

struct ColumnDrift {
  std::string name;
  Facts source, target;
  std::vector<Change> changes;
};

struct TableDrift {
  std::string name;
  std::vector<ColumnShape> columns_only_in_source, columns_only_in_target;
  std::vector<ColumnDrift> columns_drift;
  std::vector<Change> changes;  // the table's own properties
};

struct ObjectDrift {
  std::string name, table;
  std::string source_def, target_def;
  std::vector<Change> changes;
};

struct CategoryReport {
  std::vector<DiffObject> only_in_source, only_in_target;
  std::vector<ObjectDrift> modified;
  int count() const { return static_cast<int>(only_in_source.size() + only_in_target.size() + modified.size()); }
};

struct TableReport {
  std::vector<TableShape> only_in_source, only_in_target;
  std::vector<TableDrift> modified;
  int count() const { return static_cast<int>(only_in_source.size() + only_in_target.size() + modified.size()); }
};

struct DiffReport {
  std::string schema;
  bool target_schema_exists = true;  // false: everything is only in the source
  TableReport tables;
  std::map<std::string, CategoryReport> categories;  // every object_categories() entry
  int diff_count() const;
};

// The facts that differ (a property missing on one side counts as null).
std::vector<Change> changed_facts(const Facts& source, const Facts& target);

DiffReport compare_snapshots(const SchemaSnapshot& source, const SchemaSnapshot& target);

}  // namespace pgclone::agent::diff
