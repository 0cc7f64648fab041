#include "mask/masked_select.h"

#include "ddl/sql_text.h"
#include "mask/table_masks.h"
#include "pgclone/protocol/mask_sql.h"

namespace pgclone::agent::mask {
namespace {

// Row numbers for the join of shuffled columns; a name no table is likely to
// have, and only ever used inside this query's subqueries.
constexpr const char* kRowNumber = "pgclone_shuffle_row";

const catalog::ColumnDefinition* column_quoted(const catalog::TableDefinition& t, const std::string& quoted) {
  for (const auto& c : t.columns)
    if (ddl::quote_ident(c.name) == quoted) return &c;
  return nullptr;
}

}  // namespace

std::string masked_copy_select(const catalog::TableDefinition& table, const std::vector<std::string>& copy_columns,
                               const protocol::ColumnMasks& masks, const std::string& from,
                               const std::optional<std::string>& where) {
  const std::string filter = where ? " WHERE (" + *where + "\n)" : "";
  bool any_shuffled = false;
  for (const auto& [column, rule] : masks) any_shuffled = any_shuffled || !protocol::is_per_row(rule.strategy);
  // Without a join the table keeps its own name: the row filter may use it.
  const std::string m = any_shuffled ? "m." : "";
  std::vector<std::string> select_list, shuffled;
  for (const std::string& quoted : copy_columns) {
    const catalog::ColumnDefinition* c = column_quoted(table, quoted);
    auto rule = c ? masks.find(c->name) : masks.end();
    if (rule == masks.end()) {
      select_list.push_back(m + quoted);
    } else if (!protocol::is_per_row(rule->second.strategy)) {
      const std::string alias = "s" + std::to_string(shuffled.size());
      shuffled.push_back(quoted);
      select_list.push_back(alias + ".v AS " + quoted);
    } else {
      select_list.push_back(protocol::mask_expression(rule->second, mask_column(*c), m + quoted,
                                                      protocol::KeyUse::kSessionKey) +
                            " AS " + quoted);
    }
  }
  std::string sql = "SELECT " + ddl::join(select_list) + " FROM ";
  if (shuffled.empty()) return sql + from + filter;
  sql += "(SELECT *, pg_catalog.row_number() OVER () AS " + std::string(kRowNumber) + " FROM " + from + filter + ") AS m";
  for (std::size_t i = 0; i < shuffled.size(); ++i) {
    const std::string alias = "s" + std::to_string(i);
    sql += " JOIN (SELECT " + shuffled[i] + " AS v, pg_catalog.row_number() OVER (ORDER BY pg_catalog.random()) AS " +
           kRowNumber + " FROM " + from + filter + ") AS " + alias + " ON " + alias + "." + kRowNumber + " = m." +
           kRowNumber;
  }
  return sql;
}

}  // namespace pgclone::agent::mask
