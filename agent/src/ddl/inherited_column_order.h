// An inheritance child's physical column order. CREATE TABLE child (...)
// INHERITS (parents) puts the parents' columns first (each parent's in its
// own order, a name once) and the child's own columns after them. A source
// child can have another order: a column added to a parent after the child
// existed comes after the child's own columns, and ALTER TABLE ... INHERIT
// keeps whatever order the table had. Such a child is built in its source
// order instead (ordered_child_statements), and only such a child: the
// INHERITS form stays for everything else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"

namespace pgclone::agent::ddl {

// The column names in the order CREATE TABLE child (<local columns>) INHERITS
// (<parents>) gives them: parent_columns (every parent's columns, in inhseqno
// and attnum order) once each, then the child's other columns in their order.
std::vector<std::string> inherits_column_order(const std::vector<std::string>& parent_columns,
                                               const std::vector<const catalog::ColumnDefinition*>& columns);

// True when the INHERITS form gives `columns` their order.
bool inherits_keeps_column_order(const std::vector<std::string>& parent_columns,
                                 const std::vector<const catalog::ColumnDefinition*>& columns);

// Why a child cannot be built in its source order (it then gets the INHERITS
// form and a notice), or nullopt. A column that only a parent gives and that
// is generated would need the columns its expression reads on the helper.
std::optional<std::string> ordered_child_obstacle(const catalog::TableDefinition& def,
                                                  const std::vector<const catalog::ColumnDefinition*>& columns);

struct OrderedChildColumn {
  const catalog::ColumnDefinition* column = nullptr;
  std::string definition;                  // as in CREATE TABLE; used for a local column
  std::optional<std::string> default_sql;  // the column's default, sequences renamed
};

struct OrderedChild {
  std::string create_table;  // "CREATE [UNLOGGED] TABLE <target>"
  std::string target;        // qualified child
  std::string helper;        // qualified, unused name for the helper parent
  std::string with_clause;   // " WITH (...)" or ""
  std::vector<OrderedChildColumn> columns;    // source order
  std::vector<std::string> local_checks;      // "CONSTRAINT <name> CHECK (...)": the child's own
  // The same form: the CHECKs only its parents give it and that they have
  // before the data (validated ones; NOT VALID ones reach it later from them).
  std::vector<std::string> inherited_checks;
  std::vector<std::string> parents;           // qualified, inhseqno order
};

// Builds the child in its source order with attislocal, attinhcount,
// conislocal and coninhcount as on the source, without touching the catalogs
// directly: a column that only the parents give (attislocal = false) can sit
// after a local one only if a parent added it after the child existed, so an
// empty helper parent plays that parent: the child is created inheriting it,
// its columns arrive one by one in order (local ones by ADD COLUMN on the
// child, inherited-only ones by ADD COLUMN on the helper), the helper hands
// down the inherited-only CHECKs, then the child INHERITs its real parents
// (which merge into what is there), leaves the helper and the helper is dropped.
std::vector<std::string> ordered_child_statements(const OrderedChild& child);

}  // namespace pgclone::agent::ddl
