#include "verify/table_compare.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "ddl/sql_text.h"
#include "verify/checksum_sql.h"
#include "verify/paired_query.h"
#include "verify/row_diff.h"

namespace pgclone::agent::verify {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<std::string> without(const std::vector<std::string>& names, const std::vector<std::string>& removed) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    if (!contains(removed, name)) out.push_back(name);
  }
  return out;
}

std::int64_t count_rows(pg::Connection& connection, const VerifyTable& table) {
  return std::stoll(connection.query(table_summary_sql(table.qualified, {}, false)).get(0, 0));
}

// One side only: its row count, and a verdict saying where the table is missing.
TableVerdict one_sided(const TableTask& task, pg::Connection& source, pg::Connection& target) {
  TableVerdict verdict;
  const VerifyTable& table = task.source ? *task.source : *task.target;
  verdict.schema = table.schema;
  verdict.name = table.name;
  nlohmann::json detail;
  if (task.source) {
    verdict.source_rows = count_rows(source, table);
    verdict.match = kMissingOnTarget;
    detail["reason"] = "the table does not exist on the target";
  } else {
    verdict.target_rows = count_rows(target, table);
    verdict.match = kNotOnSource;
    detail["reason"] = "the table does not exist on the source";
  }
  verdict.detail_json = detail.dump();
  return verdict;
}

// A column by value only when it can be hashed so on both sides.
RowHash row_hash_method(const TableTask& task, const std::vector<std::string>& columns) {
  auto hashable = [](const VerifyTable& table, const std::string& column) {
    for (std::size_t i = 0; i < table.columns.size() && i < table.hashable.size(); ++i) {
      if (table.columns[i] == column) return static_cast<bool>(table.hashable[i]);
    }
    return false;
  };
  RowHash method;
  for (const std::string& column : columns) {
    method.by_value.push_back(hashable(*task.source, column) && hashable(*task.target, column));
  }
  return method;
}

nlohmann::json row_detail(jobs::Job& job, const TableTask& task, const std::vector<std::string>& columns,
                          const RowHash& method, int limit, pg::Connection& source, pg::Connection& target) {
  nlohmann::json detail;
  const std::vector<std::string>& key = task.source->key_columns;
  if (key.empty()) {
    detail["rows"] = "not compared row by row: the table has no primary key or unique key over NOT NULL columns";
    return detail;
  }
  for (const std::string& column : key) {
    if (!contains(task.target->columns, column)) {
      detail["rows"] = "not compared row by row: key column " + ddl::quote_ident(column) + " is missing on the target";
      return detail;
    }
  }
  const RowDiff diff =
      diff_rows(job, source, target, task.source->qualified, task.target->qualified, columns, key, method, limit);
  detail["key_columns"] = key;
  nlohmann::json rows = nlohmann::json::array();
  for (const RowDifference& row : diff.rows) {
    nlohmann::json entry;
    nlohmann::json key_object = nlohmann::json::object();
    for (std::size_t i = 0; i < key.size(); ++i) key_object[key[i]] = row.key_values[i];
    entry["key"] = key_object;
    entry["difference"] = row.difference;
    rows.push_back(entry);
  }
  detail["differing_rows"] = rows;
  if (diff.more) detail["more_differing_rows"] = true;
  if (diff.rows.empty()) {
    // Equal (key, row hash) pairs but different sums cannot happen; say so
    // rather than show an empty list.
    detail["rows"] = "no differing key found";
  }
  return detail;
}

}  // namespace

TableVerdict compare_table(jobs::Job& job, const TableTask& task, const protocol::VerifyOptions& options,
                           pg::Connection& source, pg::Connection& target) {
  if (!task.source || !task.target) return one_sided(task, source, target);
  TableVerdict verdict;
  verdict.schema = task.source->schema;
  verdict.name = task.source->name;
  const std::vector<std::string> columns =
      without(task.source->columns, options.excluded_columns_of(verdict.schema, verdict.name));
  std::vector<std::string> missing;
  for (const std::string& column : columns) {
    if (!contains(task.target->columns, column)) missing.push_back(ddl::quote_ident(column));
  }
  const bool checksum = options.mode == protocol::VerifyMode::kChecksum && missing.empty();
  const RowHash method = checksum ? row_hash_method(task, columns) : RowHash{};
  auto [on_source, on_target] =
      query_both(source, table_summary_sql(task.source->qualified, columns, checksum, method), target,
                 table_summary_sql(task.target->qualified, columns, checksum, method));
  verdict.source_rows = std::stoll(on_source.get(0, 0));
  verdict.target_rows = std::stoll(on_target.get(0, 0));
  const bool counts_equal = *verdict.source_rows == *verdict.target_rows;
  const bool checksums_equal = !checksum || on_source.get(0, 1) == on_target.get(0, 1);
  if (missing.empty() && counts_equal && checksums_equal) {
    verdict.match = kMatch;
    return verdict;
  }
  verdict.match = kMismatch;
  nlohmann::json detail;
  if (!missing.empty()) {
    detail["reason"] = "columns missing on the target: " + ddl::join(missing);
  } else if (!counts_equal) {
    detail["reason"] = "row counts differ";
  } else {
    detail["reason"] = "content checksums differ";
  }
  if (checksum && options.detail > 0) {
    detail.update(row_detail(job, task, columns, method, options.detail, source, target));
  }
  verdict.detail_json = detail.dump();
  return verdict;
}

}  // namespace pgclone::agent::verify
