#include "diff/report_json.h"

#include <nlohmann/json.hpp>

namespace pgclone::agent::diff {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json value_json(const Value& value) { return value ? ordered_json(*value) : ordered_json(nullptr); }

Value fact(const Facts& facts, const char* name) {
  const auto it = facts.find(name);
  return it == facts.end() ? Value{} : it->second;
}

ordered_json changes_json(const std::vector<Change>& changes) {
  ordered_json out = ordered_json::array();
  for (const Change& c : changes) out.push_back({{"what", c.what}, {"source", value_json(c.source)}, {"target", value_json(c.target)}});
  return out;
}

// {"name", "type", "not_null", "default", ...} of a column present on one side.
ordered_json column_json(const ColumnShape& column) {
  ordered_json out{{"name", column.name},
                   {"type", value_json(fact(column.facts, "type"))},
                   {"not_null", fact(column.facts, "not_null") == Value{"true"}},
                   {"default", value_json(fact(column.facts, "default"))}};
  for (const auto& [what, value] : column.facts) {
    if (what != "type" && what != "not_null" && what != "default") out[what] = value_json(value);
  }
  return out;
}

ordered_json column_drift_json(const ColumnDrift& drift) {
  return {{"name", drift.name},
          {"source_type", value_json(fact(drift.source, "type"))},
          {"target_type", value_json(fact(drift.target, "type"))},
          {"source_not_null", fact(drift.source, "not_null") == Value{"true"}},
          {"target_not_null", fact(drift.target, "not_null") == Value{"true"}},
          {"source_default", value_json(fact(drift.source, "default"))},
          {"target_default", value_json(fact(drift.target, "default"))},
          {"changes", changes_json(drift.changes)}};
}

ordered_json tables_json(const TableReport& tables) {
  ordered_json only_source = ordered_json::array(), only_target = ordered_json::array(),
               modified = ordered_json::array();
  for (const TableShape& t : tables.only_in_source) only_source.push_back(t.name);
  for (const TableShape& t : tables.only_in_target) only_target.push_back(t.name);
  for (const TableDrift& t : tables.modified) {
    ordered_json in_source = ordered_json::array(), in_target = ordered_json::array(), drift = ordered_json::array();
    for (const ColumnShape& c : t.columns_only_in_source) in_source.push_back(column_json(c));
    for (const ColumnShape& c : t.columns_only_in_target) in_target.push_back(column_json(c));
    for (const ColumnDrift& c : t.columns_drift) drift.push_back(column_drift_json(c));
    modified.push_back({{"name", t.name},
                        {"columns_only_in_source", in_source},
                        {"columns_only_in_target", in_target},
                        {"columns_drift", drift},
                        {"changes", changes_json(t.changes)}});
  }
  return {{"only_in_source", only_source}, {"only_in_target", only_target}, {"modified", modified}};
}

ordered_json object_json(const DiffObject& object) {
  ordered_json out{{"name", object.name}};
  if (!object.table.empty()) out["table"] = object.table;
  out["def"] = object.def;
  return out;
}

ordered_json category_json(const std::string& category, const CategoryReport& report) {
  // The established report lists sequences present on one side by name.
  const bool by_name = category == "sequences";
  ordered_json only_source = ordered_json::array(), only_target = ordered_json::array(),
               modified = ordered_json::array();
  for (const DiffObject& o : report.only_in_source) only_source.push_back(by_name ? ordered_json(o.name) : object_json(o));
  for (const DiffObject& o : report.only_in_target) only_target.push_back(by_name ? ordered_json(o.name) : object_json(o));
  for (const ObjectDrift& d : report.modified) {
    ordered_json entry{{"name", d.name}};
    if (!d.table.empty()) entry["table"] = d.table;
    entry["source_def"] = d.source_def;
    entry["target_def"] = d.target_def;
    entry["changes"] = changes_json(d.changes);
    modified.push_back(std::move(entry));
  }
  return {{"only_in_source", only_source}, {"only_in_target", only_target}, {"modified", modified}};
}

}  // namespace

std::string report_json(const DiffReport& report) {
  ordered_json summary;
  summary["tables_only_in_source"] = report.tables.only_in_source.size();
  summary["tables_only_in_target"] = report.tables.only_in_target.size();
  summary["tables_modified"] = report.tables.modified.size();
  for (const std::string& category : object_categories()) {
    const CategoryReport& c = report.categories.at(category);
    summary[category + "_only_in_source"] = c.only_in_source.size();
    summary[category + "_only_in_target"] = c.only_in_target.size();
    summary[category + "_modified"] = c.modified.size();
  }
  ordered_json out;
  out["schema"] = report.schema;
  out["in_sync"] = report.diff_count() == 0;
  out["diff_count"] = report.diff_count();
  out["target_schema_exists"] = report.target_schema_exists;
  out["summary"] = summary;
  out["tables"] = tables_json(report.tables);
  for (const std::string& category : object_categories()) out[category] = category_json(category, report.categories.at(category));
  return out.dump();
}

}  // namespace pgclone::agent::diff
