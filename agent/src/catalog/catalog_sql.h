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

// Quoted "schema.name" of a pg_proc oid, without arguments (NULL when 0 or none).
std::string qualified_function_sql(const std::string& oid_expr);

// Text array column of a result row ("" or NULL give an empty vector).
std::vector<std::string> array_column(const pg::Result& r, int row, const char* column);

// ARRAY of the names of the table's columns whose numbers are in
// attnums_expr (an int2[] expression), in that array's order.
std::string ordered_attnames_sql(const std::string& table_oid_expr, const std::string& attnums_expr);

// ARRAY of the names of the table's columns an object uses: those in
// extra_attnums_expr plus those it records a pg_depend entry on (expression
// and predicate references live only there), in column order.
std::string depended_columns_sql(const std::string& catalog, const std::string& objid_expr,
                                 const std::string& table_oid_expr, const std::string& extra_attnums_expr);

// Rows (attrelid, attnum, option_name, option_value) of the user-set
// attribute options (n_distinct...) of the relations in $1 (an oid[]).
std::string column_options_sql();

// pg_catalog.oid[] literal for a bound parameter ("{16384,16390}").
std::string oid_array_literal(const std::vector<std::string>& oids);

}  // namespace pgclone::agent::catalog
