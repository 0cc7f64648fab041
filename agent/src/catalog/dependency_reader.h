// Dependencies between catalog objects (pg_depend), normalised to the
// objects a plan creates: a view's _RETURN rule stands for the view, a
// column default for its table, an array type for its element type, a
// table's or view's row type for the relation, a composite type's relation
// for the type. Keys are "<catalog oid>:<object oid>" (see object_key).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

// Catalog OIDs (fixed in src/include/catalog/pg_*.h).
constexpr unsigned kPgClass = 1259;
constexpr unsigned kPgType = 1247;
constexpr unsigned kPgProc = 1255;
constexpr unsigned kPgNamespace = 2615;
constexpr unsigned kPgConstraint = 2606;
constexpr unsigned kPgRewrite = 2618;
constexpr unsigned kPgTrigger = 2620;
constexpr unsigned kPgPolicy = 3256;
constexpr unsigned kPgExtension = 3079;

std::string object_key(unsigned catalog_oid, const std::string& object_oid);

struct DependencyEdge {
  std::string dependent;   // key
  std::string referenced;  // key
  // The reference is to a relation's row type (not to the relation's
  // contents): a function returning a view's rows only needs the view's shape.
  bool via_row_type = false;
};

// Every normal or automatic dependency between user objects (oid >= 16384),
// without self-references after normalisation.
std::vector<DependencyEdge> read_dependencies(pg::Connection& conn);

struct ExtensionUse {
  std::string dependent;  // key of the user object
  std::string extension_oid;
};

// User objects that use an object belonging to an extension (a column of
// type citext, a function calling an hstore function...).
std::vector<ExtensionUse> read_extension_uses(pg::Connection& conn);

// Sequences owned by a column (identity or OWNED BY), keyed by the sequence's
// key, with the owning table's key: such a sequence is created with its table.
std::vector<std::pair<std::string, std::string>> read_sequence_owners(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
