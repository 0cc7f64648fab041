#pragma once
// What pgclone.diff() compares of one side's schema: every object reduced to
// a stable identity (its key) and the properties a clone reproduces, as
// plain text. Built from the clone's own catalog readers (snapshot_facts.h),
// compared without any connection (comparer.h).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgclone::agent::diff {

// A property's value; nullopt when the object has none (a column without a
// default).
using Value = std::optional<std::string>;
using Facts = std::map<std::string, Value>;

// The categories after "tables", in the order of the report. "tables" is
// special: columns are compared inside it.
inline const std::vector<std::string>& object_categories() {
  static const std::vector<std::string> kCategories{"indexes", "constraints", "triggers", "views",   "sequences",
                                                    "functions", "types",     "policies", "privileges"};
  return kCategories;
}

// A reference to another object, for the rule that an object hanging on one
// present on one side only is not reported again (see comparer.h).
std::string table_ref(const std::string& table);
std::string column_ref(const std::string& table, const std::string& column);
std::string object_ref(const std::string& category, const std::string& key);

struct DiffObject {
  std::string name;   // shown name: a function's is its signature, a privilege's "kind name"
  std::string table;  // the relation it belongs to (indexes, constraints, triggers, policies); empty for none
  std::string def;    // canonical definition shown to the reader
  Facts facts;        // what is compared
  std::vector<std::string> depends_on;  // refs whose one-sidedness already reports this object
};

struct ColumnShape {
  std::string name;
  Facts facts;  // type, not_null, default, identity, generated, collation
};

struct TableShape {
  std::string name;
  Facts facts;                      // kind, persistence, partitioning, row security...
  std::vector<ColumnShape> columns; // in column order
};

struct SchemaSnapshot {
  std::string schema;
  bool exists = false;
  std::map<std::string, TableShape> tables;                          // by name
  std::map<std::string, std::map<std::string, DiffObject>> objects;  // category -> key -> object
};

}  // namespace pgclone::agent::diff
