// conflict = rename: moving an existing target table out of the way.
#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "ddl/table_ddl.h"

namespace pgclone::agent::ddl {

using catalog::SequenceDefinition;
using catalog::TableDefinition;

std::vector<std::string> rename_aside_statements(const TableDefinition& existing,
                                                 std::set<std::string>& taken) {
  std::vector<std::string> out;
  const std::string new_table = make_unique_name(existing.name + "_old", taken);
  out.push_back("ALTER TABLE " + qualified_name(existing.schema, existing.name) + " RENAME TO " +
                quote_ident(new_table));
  taken.erase(existing.name);
  taken.insert(new_table);
  const std::string moved = qualified_name(existing.schema, new_table);

  auto rename_relation = [&](const std::string& old_name, const std::string& statement_head) {
    std::string name = make_unique_name(adapt_name(old_name, existing.name, new_table), taken);
    out.push_back(statement_head + quote_ident(name));
    taken.erase(old_name);
    taken.insert(name);
    return name;
  };

  // Constraint names live per table; they must avoid each other and the
  // table's trigger names (constraint triggers share the namespace).
  std::set<std::string> constraint_names;
  for (const auto& c : existing.constraints) constraint_names.insert(c.name);
  for (const auto& t : existing.triggers) constraint_names.insert(t.name);
  for (const auto& c : existing.constraints) {
    const std::string head = "ALTER TABLE " + moved + " RENAME CONSTRAINT " + quote_ident(c.name) + " TO ";
    if (c.index_name) {
      // Renaming the constraint renames its index: both names must be free.
      std::set<std::string> avoid = taken;
      avoid.insert(constraint_names.begin(), constraint_names.end());
      std::string name = make_unique_name(adapt_name(c.name, existing.name, new_table), avoid);
      out.push_back(head + quote_ident(name));
      taken.erase(*c.index_name);
      taken.insert(name);
      constraint_names.insert(name);
    } else {
      std::string name = make_unique_name(adapt_name(c.name, existing.name, new_table), constraint_names);
      out.push_back(head + quote_ident(name));
      constraint_names.insert(name);
    }
  }
  for (const auto& x : existing.indexes)
    rename_relation(x.name, "ALTER INDEX " + qualified_name(existing.schema, x.name) + " RENAME TO ");
  auto rename_sequence = [&](const SequenceDefinition& s) {
    rename_relation(s.name, "ALTER SEQUENCE " + qualified_name(s.schema, s.name) + " RENAME TO ");
  };
  for (const auto& c : existing.columns)
    if (c.identity_sequence) rename_sequence(*c.identity_sequence);
  for (const auto& s : existing.owned_sequences) rename_sequence(s);
  return out;
}

}  // namespace pgclone::agent::ddl
