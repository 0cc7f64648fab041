#include "sample/table_closure.h"

#include <utility>
#include <vector>

namespace pgclone::agent::sample {

std::set<std::string> reached_tables(const catalog::ForeignKeyGraph& graph, const std::set<std::string>& starts,
                                     bool with_children) {
  // Children are followed down from the starting tables only (and from the
  // children found so): a table reached as a referenced one brings what it
  // references, not everything else that references it.
  std::set<std::string> reached, down;
  std::vector<std::pair<std::string, bool>> pending;
  const auto visit = [&](const std::string& oid, bool going_down) {
    const bool is_new = reached.insert(oid).second;
    const bool newly_down = going_down && down.insert(oid).second;
    if (is_new || newly_down) pending.emplace_back(oid, newly_down);
  };
  for (const std::string& oid : starts) visit(oid, with_children);
  // A foreign key applies to a table when it is declared on it or on a
  // partitioned table above it, and on a partitioned table for every
  // partition below; it references its parent's whole tree.
  const auto applies = [&](const std::string& table, const std::string& declared_on) {
    return graph.holds_rows_of(table, declared_on) || graph.holds_rows_of(declared_on, table);
  };
  while (!pending.empty()) {
    const auto [oid, going_down] = pending.back();
    pending.pop_back();
    for (const catalog::ForeignKeyEdge& edge : graph.edges) {
      if (applies(oid, edge.child_oid)) visit(edge.parent_oid, false);
      if (going_down && applies(oid, edge.parent_oid)) visit(edge.child_oid, true);
    }
  }
  return reached;
}

std::set<std::string> tree_roots(const catalog::ForeignKeyGraph& graph, const std::set<std::string>& tables) {
  std::set<std::string> roots;
  for (const std::string& oid : tables) roots.insert(graph.relation(oid).root_oid);
  return roots;
}

}  // namespace pgclone::agent::sample
