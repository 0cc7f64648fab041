#include "clone/tree_conflict.h"

#include <map>
#include <set>

#include "catalog/catalog_sql.h"
#include "catalog/table_catalog.h"
#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

namespace sqlstate = protocol::sqlstate;
using protocol::ConflictMode;

struct Existing {
  std::string oid, schema, name;
  char relkind;
};

// The relations of the target that carry a name of the tree, in tree order.
std::vector<Existing> taken_names(pg::Connection& target, const std::vector<catalog::RelationEntry>& tree) {
  std::vector<std::string> schemas, names;
  for (const auto& r : tree) {
    schemas.push_back(r.schema);
    names.push_back(r.name);
  }
  pg::Result r = target.query(
      "SELECT c.oid, n.nspname, c.relname, c.relkind"
      " FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[]))"
      "   WITH ORDINALITY t(s, r, ord)"
      " JOIN pg_catalog.pg_namespace n ON n.nspname = t.s"
      " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.r ORDER BY t.ord",
      {catalog::text_array_literal(schemas), catalog::text_array_literal(names)});
  std::vector<Existing> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2), r.get(i, 3)[0]});
  return out;
}

// Moves one existing table aside with the relations named after it (its
// indexes, partitioned ones too, and its owned sequences). Indexes are
// renamed with ALTER INDEX, which renames their constraints as well: a
// partition's key constraint is inherited and cannot be renamed directly.
void move_aside(pg::Connection& target, const Existing& e, std::map<std::string, std::set<std::string>>& taken) {
  auto names_in = [&](const std::string& schema) -> std::set<std::string>& {
    auto it = taken.find(schema);
    if (it == taken.end()) it = taken.emplace(schema, catalog::relation_names_in_schema(target, schema)).first;
    return it->second;
  };
  std::set<std::string>& here = names_in(e.schema);
  const std::string new_table = ddl::make_unique_name(e.name + "_old", here);
  pg::Result dependents = target.query(
      "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE c.oid IN (SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = $1::pg_catalog.oid)"
      "    OR (c.relkind = 'S' AND c.oid IN (SELECT d.objid FROM pg_catalog.pg_depend d"
      "        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = $1::pg_catalog.oid"
      "          AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')))"
      " ORDER BY 1, 2",
      {e.oid});
  target.exec("ALTER TABLE " + ddl::qualified_name(e.schema, e.name) + " RENAME TO " + ddl::quote_ident(new_table));
  here.erase(e.name);
  here.insert(new_table);
  for (int i = 0; i < dependents.rows(); ++i) {
    const std::string schema = dependents.get(i, 0), name = dependents.get(i, 1);
    std::set<std::string>& names = names_in(schema);
    const std::string renamed = ddl::make_unique_name(ddl::adapt_name(name, e.name, new_table), names);
    target.exec(std::string(dependents.get(i, 2) == "S" ? "ALTER SEQUENCE " : "ALTER INDEX ") +
                ddl::qualified_name(schema, name) + " RENAME TO " + ddl::quote_ident(renamed));
    names.erase(name);
    names.insert(renamed);
  }
}

}  // namespace

bool resolve_tree_conflict(pg::Connection& target, jobs::Job& job, const std::vector<catalog::RelationEntry>& tree) {
  const std::vector<Existing> existing = taken_names(target, tree);
  if (existing.empty()) return true;
  const ConflictMode mode = job.options().conflict;
  const std::string root = ddl::qualified_name(tree.front().schema, tree.front().name);
  std::string all;
  for (const auto& e : existing) all += (all.empty() ? "" : ", ") + ddl::qualified_name(e.schema, e.name);
  for (const auto& e : existing) {
    if (e.relkind == 'r' || e.relkind == 'p') continue;
    throw pg::PgError(sqlstate::kDuplicateTable,
                      "relation " + ddl::qualified_name(e.schema, e.name) + " already exists on the target",
                      "It is not a table, so pgclone will not replace or rename it; the partition tree of " + root +
                          " needs its name.",
                      "Drop or rename it first.");
  }
  if (mode == ConflictMode::kSkip) return false;
  if (mode == ConflictMode::kError) {
    const Existing& first = existing.front();
    throw pg::PgError(sqlstate::kDuplicateTable,
                      "table " + ddl::qualified_name(first.schema, first.name) + " already exists on the target",
                      "The partition tree of " + root + " needs names already taken on the target: " + all + ".",
                      "Use the \"conflict\" option (skip, replace or rename) to clone it anyway.");
  }
  std::map<std::string, std::set<std::string>> taken;
  for (const auto& e : existing) {
    const std::string shown = ddl::qualified_name(e.schema, e.name);
    if (mode == ConflictMode::kReplace) {
      // IF EXISTS: a partition of a table dropped before went with it.
      target.exec("DROP TABLE IF EXISTS " + shown);
      job.add_notice("notice", "dropped the existing table " + shown + " on the target to replace it");
    } else {
      // Still there? A partition keeps its name when its parent moves aside.
      if (target.query("SELECT 1 FROM pg_catalog.pg_class WHERE oid = $1::pg_catalog.oid", {e.oid}).rows() == 0)
        continue;
      move_aside(target, e, taken);
      job.add_notice("notice", "moved the existing table " + shown + " aside on the target");
    }
  }
  return true;
}

}  // namespace pgclone::agent::clone
