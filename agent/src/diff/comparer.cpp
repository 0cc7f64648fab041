#include "diff/comparer.h"

#include <set>

namespace pgclone::agent::diff {
namespace {

// Unit separator: no identifier contains it, so refs never collide.
constexpr char kSep = '\x1f';

const ColumnShape* find_column(const TableShape& table, const std::string& name) {
  for (const ColumnShape& column : table.columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

// Everything present on one side only, as refs (see schema_snapshot.h).
std::set<std::string> one_sided_refs(const SchemaSnapshot& source, const SchemaSnapshot& target) {
  std::set<std::string> refs;
  const auto tables_of = [&refs](const SchemaSnapshot& one, const SchemaSnapshot& other) {
    for (const auto& [name, table] : one.tables) {
      const auto there = other.tables.find(name);
      if (there == other.tables.end()) {
        refs.insert(table_ref(name));
        continue;
      }
      for (const ColumnShape& column : table.columns) {
        if (!find_column(there->second, column.name)) refs.insert(column_ref(name, column.name));
      }
    }
  };
  tables_of(source, target);
  tables_of(target, source);
  const auto objects_of = [&refs](const SchemaSnapshot& one, const SchemaSnapshot& other) {
    for (const auto& [category, objects] : one.objects) {
      const auto there = other.objects.find(category);
      for (const auto& [key, object] : objects) {
        if (there == other.objects.end() || there->second.count(key) == 0) refs.insert(object_ref(category, key));
      }
    }
  };
  objects_of(source, target);
  objects_of(target, source);
  return refs;
}

bool covered(const DiffObject& object, const std::set<std::string>& one_sided) {
  for (const std::string& ref : object.depends_on) {
    if (one_sided.count(ref)) return true;
  }
  return false;
}

TableReport compare_tables(const SchemaSnapshot& source, const SchemaSnapshot& target) {
  TableReport report;
  for (const auto& [name, table] : source.tables) {
    const auto there = target.tables.find(name);
    if (there == target.tables.end()) {
      report.only_in_source.push_back(table);
      continue;
    }
    TableDrift drift;
    drift.name = name;
    drift.changes = changed_facts(table.facts, there->second.facts);
    for (const ColumnShape& column : table.columns) {
      const ColumnShape* other = find_column(there->second, column.name);
      if (!other) {
        drift.columns_only_in_source.push_back(column);
        continue;
      }
      std::vector<Change> changes = changed_facts(column.facts, other->facts);
      if (!changes.empty()) drift.columns_drift.push_back({column.name, column.facts, other->facts, std::move(changes)});
    }
    for (const ColumnShape& column : there->second.columns) {
      if (!find_column(table, column.name)) drift.columns_only_in_target.push_back(column);
    }
    if (!drift.changes.empty() || !drift.columns_drift.empty() || !drift.columns_only_in_source.empty() ||
        !drift.columns_only_in_target.empty()) {
      report.modified.push_back(std::move(drift));
    }
  }
  for (const auto& [name, table] : target.tables) {
    if (source.tables.count(name) == 0) report.only_in_target.push_back(table);
  }
  return report;
}

CategoryReport compare_category(const std::map<std::string, DiffObject>& source,
                                 const std::map<std::string, DiffObject>& target,
                                 const std::set<std::string>& one_sided) {
  CategoryReport report;
  for (const auto& [key, object] : source) {
    const auto there = target.find(key);
    if (there == target.end()) {
      if (!covered(object, one_sided)) report.only_in_source.push_back(object);
      continue;
    }
    std::vector<Change> changes = changed_facts(object.facts, there->second.facts);
    if (!changes.empty() && !covered(object, one_sided)) {
      report.modified.push_back({object.name, object.table, object.def, there->second.def, std::move(changes)});
    }
  }
  for (const auto& [key, object] : target) {
    if (source.count(key) == 0 && !covered(object, one_sided)) report.only_in_target.push_back(object);
  }
  return report;
}

}  // namespace

std::string table_ref(const std::string& table) { return std::string("table") + kSep + table; }

std::string column_ref(const std::string& table, const std::string& column) {
  return std::string("column") + kSep + table + kSep + column;
}

std::string object_ref(const std::string& category, const std::string& key) { return category + kSep + key; }

std::vector<Change> changed_facts(const Facts& source, const Facts& target) {
  std::vector<Change> changes;
  for (const auto& [what, value] : source) {
    const auto there = target.find(what);
    const Value other = there == target.end() ? Value{} : there->second;
    if (value != other) changes.push_back({what, value, other});
  }
  for (const auto& [what, value] : target) {
    if (source.count(what) == 0 && value) changes.push_back({what, Value{}, value});
  }
  return changes;
}

int DiffReport::diff_count() const {
  int count = tables.count();
  for (const auto& [category, report] : categories) count += report.count();
  return count;
}

DiffReport compare_snapshots(const SchemaSnapshot& source, const SchemaSnapshot& target) {
  DiffReport report;
  report.schema = source.schema;
  report.target_schema_exists = target.exists;
  report.tables = compare_tables(source, target);
  const std::set<std::string> one_sided = one_sided_refs(source, target);
  static const std::map<std::string, DiffObject> kNone;
  for (const std::string& category : object_categories()) {
    const auto in_source = source.objects.find(category);
    const auto in_target = target.objects.find(category);
    report.categories[category] =
        compare_category(in_source == source.objects.end() ? kNone : in_source->second,
                         in_target == target.objects.end() ? kNone : in_target->second, one_sided);
  }
  return report;
}

}  // namespace pgclone::agent::diff
