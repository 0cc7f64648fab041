// SQL fragments shared by the catalog readers of schema and database clones.
// Every catalog reference is pg_catalog-qualified: the readers run with
// search_path = '' so that server-printed texts come back schema-qualified.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

// The object's comment: a scalar subquery on pg_description. `catalog` is the
// catalog's qualified name ("pg_catalog.pg_class"); sub is the column number
// expression ("0" unless a column).
std::string description_sql(const std::string& oid_expr, const std::string& catalog, const std::string& sub = "0");

// "NOT EXISTS (...)": true when the object is not a member of an extension
// (pg_depend deptype 'e'). Extension members come with CREATE EXTENSION, never
// cloned one by one.
std::string not_extension_member_sql(const std::string& catalog, const std::string& oid_expr);

// PostgreSQL text[] literal for a bound parameter ("{"a","b \"c\""}").
std::string text_array_literal(const std::vector<std::string>& items);

// Quoted "schema.name" of a pg_class oid (NULL when none).
std::string qualified_relation_sql(const std::string& oid_expr);

// Text array column of a result row ("" or NULL give an empty vector).
std::vector<std::string> array_column(const pg::Result& r, int row, const char* column);

}  // namespace pgclone::agent::catalog
