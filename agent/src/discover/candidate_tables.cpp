#include "discover/candidate_tables.h"

#include <map>
#include <set>

#include "ddl/sql_text.h"
#include "mask/table_masks.h"

namespace pgclone::agent::discover {
namespace {

using catalog::TableDefinition;

const catalog::ColumnDefinition* find_column(const TableDefinition& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return &c;
  return nullptr;
}

std::set<std::string> foreign_key_columns(const TableDefinition& t) {
  std::set<std::string> out;
  for (const auto& c : t.constraints)
    if (c.type == 'f') out.insert(c.fk_columns.begin(), c.fk_columns.end());
  return out;
}

// Foreign key columns of every table, by the (qualified table, column) they
// reference: a mask on the referenced key is carried over to them.
std::map<std::pair<std::string, std::string>, std::vector<protocol::MaskColumn>> referencing_columns(
    const std::vector<TableDefinition>& definitions) {
  std::map<std::pair<std::string, std::string>, std::vector<protocol::MaskColumn>> out;
  for (const TableDefinition& t : definitions) {
    for (const auto& fk : t.constraints) {
      if (fk.type != 'f') continue;
      for (std::size_t i = 0; i < fk.fk_columns.size() && i < fk.referenced_columns.size(); ++i) {
        if (const catalog::ColumnDefinition* c = find_column(t, fk.fk_columns[i]))
          out[{fk.referenced_table, fk.referenced_columns[i]}].push_back(mask::mask_column(*c));
      }
    }
  }
  return out;
}

std::optional<protocol::SensitiveKind> kind_by_type(const catalog::ColumnDefinition& c) {
  if (c.base_type == "inet" || c.base_type == "cidr") return protocol::SensitiveKind::kIpAddress;
  return std::nullopt;
}

}  // namespace

std::vector<CandidateTable> candidate_tables(const std::vector<TableDefinition>& definitions,
                                             const std::vector<catalog::RelationEntry>& relations) {
  std::map<std::string, std::int64_t> bytes;
  for (const auto& r : relations) bytes[ddl::qualified_name(r.schema, r.name)] = r.bytes;
  const auto referencing = referencing_columns(definitions);

  std::vector<CandidateTable> out;
  for (const TableDefinition& t : definitions) {
    if (!t.partition_parent.empty()) continue;
    CandidateTable table;
    table.key = t.name;
    table.qualified = ddl::qualified_name(t.schema, t.name);
    table.from = (t.relkind == 'p' ? "" : "ONLY ") + table.qualified;
    table.bytes = bytes[table.qualified];
    const std::set<std::string> keys = mask::unique_key_columns(t);
    const std::set<std::string> foreign = foreign_key_columns(t);
    for (const auto& c : t.columns) {
      CandidateColumn column;
      column.name = c.name;
      column.facts.column = mask::mask_column(c);
      column.facts.unique_key = keys.count(c.name) > 0;
      column.facts.foreign_key = foreign.count(c.name) > 0;
      column.facts.generated = c.generated_expr.has_value();
      auto refs = referencing.find({table.qualified, c.name});
      if (refs != referencing.end()) column.facts.referencing = refs->second;
      column.samplable = c.base_category == 'S';
      column.kind_by_type = kind_by_type(c);
      table.columns.push_back(std::move(column));
    }
    out.push_back(std::move(table));
  }
  return out;
}

}  // namespace pgclone::agent::discover
