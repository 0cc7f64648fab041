// The ACLs of the objects a clone creates, as the source stores them (only
// objects whose ACL is not NULL, i.e. not the default). Extension members
// are left out: CREATE EXTENSION brings them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct PrivilegeEntry {
  std::string key;     // catalog key of the object ("1259:16384"); a column's is its relation's
  std::string kind;    // table (also views, matviews, foreign tables), sequence, column, function, procedure, type,
                       // schema, foreign_data_wrapper, foreign_server, large_object
  std::string schema;  // unquoted
  std::string name;    // unquoted; a schema's own name for kind schema
  std::string arguments;  // functions: pg_get_function_identity_arguments
  std::string column;     // kind column: the column's name (unquoted)
  std::string owner;      // the object's owner (a column's: its table's)
  std::vector<std::string> acl;  // aclitem texts
};

// Schemas (those named), relations and their columns, functions,
// procedures, aggregates, types and domains of the schemas, and every
// foreign-data wrapper and foreign server. Array types and
// relation row types are left out: their privileges follow their element
// type or relation.
std::vector<PrivilegeEntry> read_privileges(pg::Connection& conn, const std::vector<std::string>& schemas);

// One table's own ACL, its columns' and those of the sequences it owns
// (serial and identity).
std::vector<PrivilegeEntry> read_table_privileges(pg::Connection& conn, const std::string& table_oid);

// Large objects with a non-default ACL (kind "large_object", name: the OID).
std::vector<PrivilegeEntry> read_large_object_privileges(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
