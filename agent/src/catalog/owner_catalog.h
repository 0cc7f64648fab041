// The owners of the objects a schema or database clone creates, for
// "owner": "source". Sequences owned by a table (serial, identity) are left
// out: ALTER TABLE ... OWNER TO moves them along. Extension members are left
// out: CREATE EXTENSION brings them.
#pragma once

#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct OwnerEntry {
  std::string key;        // catalog key of the object ("1259:16384")
  std::string keyword;    // what ALTER names: TABLE, VIEW, MATERIALIZED VIEW, SEQUENCE, FOREIGN TABLE,
                          // FUNCTION, PROCEDURE, AGGREGATE, TYPE, DOMAIN, COLLATION, STATISTICS, SCHEMA
  std::string schema;     // unquoted; a schema's own name for SCHEMA
  std::string name;       // unquoted
  std::string arguments;  // routines: pg_get_function_identity_arguments
  std::string owner;      // unquoted role name
};

// Schemas (those named) and the schemas' relations, routines, types,
// domains, collations and extended statistics.
std::vector<OwnerEntry> read_owners(pg::Connection& conn, const std::vector<std::string>& schemas);

// Every large object (keyword LARGE OBJECT, name: the OID, which the clone
// keeps), for database clones.
std::vector<OwnerEntry> read_large_object_owners(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
