#pragma once
// Which tables a sample needs (pure, unit-tested): the starting tables, every
// table their foreign keys reference, transitively, and with children also
// the tables that reference them (and what those reference). Cycles end
// because a table is visited once.

#include <set>
#include <string>

#include "catalog/foreign_key_graph.h"

namespace pgclone::agent::sample {

// Oids of the tables reached, as the foreign keys name them (a partitioned
// table rather than its partitions), starting tables included.
std::set<std::string> reached_tables(const catalog::ForeignKeyGraph& graph, const std::set<std::string>& starts,
                                     bool with_children);

// The tops of the partition trees of `tables`: what a clone's scope names.
std::set<std::string> tree_roots(const catalog::ForeignKeyGraph& graph, const std::set<std::string>& tables);

}  // namespace pgclone::agent::sample
