#include "plan/table_filter.h"

#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"

namespace pgclone::agent::plan {
namespace {

// A job reports pg::PgError with its SQLSTATE; anything else becomes XX000.
template <typename Call>
auto as_pg_error(Call call) {
  try {
    return call();
  } catch (const protocol::OptionsError& e) {
    throw pg::PgError(e.sqlstate, e.what(), e.detail, e.hint);
  }
}

}  // namespace

TableFilter::TableFilter(const std::vector<std::string>& include, const std::vector<std::string>& exclude)
    : include_(as_pg_error([&] { return protocol::TablePatterns(include, "tables"); })),
      exclude_(as_pg_error([&] { return protocol::TablePatterns(exclude, "exclude_tables"); })) {}

bool TableFilter::wanted(const catalog::RelationEntry& relation) const {
  return as_pg_error([&] {
    bool included = include_.empty() || include_.matches(relation.schema, relation.name);
    bool excluded = exclude_.matches(relation.schema, relation.name);
    for (const auto& [schema, name] : relation.ancestors) {
      included = included || include_.matches(schema, name);
      excluded = excluded || exclude_.matches(schema, name);
    }
    return included && !excluded;
  });
}

}  // namespace pgclone::agent::plan
