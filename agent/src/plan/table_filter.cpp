#include "plan/table_filter.h"

#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"

namespace pgclone::agent::plan {
namespace {

// A job reports pg::PgError with its SQLSTATE; anything else becomes XX000.
protocol::TablePatterns compile(const std::vector<std::string>& patterns, const char* key) {
  try {
    return protocol::TablePatterns(patterns, key);
  } catch (const protocol::OptionsError& e) {
    throw pg::PgError(e.sqlstate, e.what(), e.detail, e.hint);
  }
}

}  // namespace

TableFilter::TableFilter(const std::vector<std::string>& include, const std::vector<std::string>& exclude)
    : include_(compile(include, "tables")), exclude_(compile(exclude, "exclude_tables")) {}

bool TableFilter::wanted(const catalog::RelationEntry& relation) const {
  bool included = include_.empty() || include_.matches(relation.schema, relation.name);
  bool excluded = exclude_.matches(relation.schema, relation.name);
  for (const auto& [schema, name] : relation.ancestors) {
    included = included || include_.matches(schema, name);
    excluded = excluded || exclude_.matches(schema, name);
  }
  return included && !excluded;
}

}  // namespace pgclone::agent::plan
