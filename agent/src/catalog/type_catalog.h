// User-defined types of a scope: enums, domains, composites and ranges.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct DomainConstraint {
  std::string name;
  std::string definition;  // pg_get_constraintdef: "CHECK (...)" (plus " NOT VALID" when not validated)
  bool validated = true;
  std::optional<std::string> comment;
  std::string oid;  // its pg_constraint row: what a CHECK calling a function depends on
};

struct CompositeAttribute {
  std::string name;
  std::string type;                      // format_type
  std::optional<std::string> collation;  // qualified; only when not the type's default
  std::optional<std::string> comment;
};

struct TypeDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  char kind = 'e';  // typtype: e enum, d domain, c composite, r range
  std::optional<std::string> comment;
  std::vector<std::string> labels;  // enum, in enumsortorder
  // domain
  std::string base_type;
  std::optional<std::string> collation;
  std::optional<std::string> default_expr;
  bool not_null = false;
  std::vector<DomainConstraint> constraints;  // by name
  // composite
  std::vector<CompositeAttribute> attributes;
  // range (regproc / regclass texts, schema-qualified)
  std::string subtype;
  std::optional<std::string> subtype_opclass;  // only when not the subtype's default
  std::optional<std::string> range_collation;  // only when not the subtype's default
  std::optional<std::string> canonical;
  std::optional<std::string> subtype_diff;
  std::string multirange;  // qualified multirange type name
};

// Enums, domains, composites (stand-alone, not table row types) and ranges of
// the schemas, not extension members, by schema then name.
std::vector<TypeDefinition> read_types(pg::Connection& conn, const std::vector<std::string>& schemas);

// A user type (enum, domain, composite, range; not an extension's) that
// objects use, directly or because a type they use is built on it (a
// domain's base type, a composite's attribute types, a range's subtype, an
// array's element type). depth: 0 when used directly, n + 1 when a type of
// depth n is built on it — creating the deepest first respects every such
// dependency.
struct UsedType {
  std::string oid, schema, name;
  int depth = 0;
};

// The types the columns of these relations use (`columns` empty: every
// column), deepest first, then by schema and name.
std::vector<UsedType> read_types_used_by_relations(pg::Connection& conn, const std::vector<std::string>& relation_oids,
                                                   const std::vector<std::string>& columns);

// The types the relations, routines and types of these schemas use (as
// recorded in pg_depend) that live in other schemas, deepest first.
std::vector<UsedType> read_types_used_by_schemas(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
