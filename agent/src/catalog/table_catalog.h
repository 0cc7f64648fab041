// Reads one table's definition from a server's catalog with plain SQL.
//
// Preconditions (the caller's job, not done here so session state is never
// changed behind the caller's back):
//  - the session has `search_path = ''`, so every pg_get_*def(), pg_get_expr()
//    and format_type() text comes back fully schema-qualified;
//  - on a source, the caller has opened the job's REPEATABLE READ READ ONLY
//    transaction, so all reads see one snapshot.
// Every catalog reference in the queries is pg_catalog-qualified.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "catalog/schema_catalog.h"
#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

// Throws pg::PgError("42P01", "<label> table \"<schema>.<table>\" does not exist")
// when missing, and PgError("0A000", "cloning <kind> \"<schema>.<table>\" is not
// supported by table()") for anything but an ordinary table (relkind 'r').
TableDefinition read_table_definition(pg::Connection& conn, const std::string& schema, const std::string& table);

// For schema and database clones: the definitions of every table of the
// scope (ordinary and partitioned, as listed by list_relations), in the
// order given, read with a few queries for all of them together. Fills the
// hierarchy fields (partition key and bound, parent, inheritance parents,
// local vs inherited columns and constraints, parent indexes); partitions and
// children are not reported as notes. 42P01 if one has vanished.
std::vector<TableDefinition> read_relation_definitions(pg::Connection& conn, const std::vector<RelationEntry>& relations);

// True when an ordinary table of that name exists (other relkinds: false).
bool table_exists(pg::Connection& conn, const std::string& schema, const std::string& table);

// Every pg_class name (tables, indexes, sequences, views, types' relations...)
// in the schema: the names a new relation there must avoid.
std::set<std::string> relation_names_in_schema(pg::Connection& conn, const std::string& schema);

}  // namespace pgclone::agent::catalog
