// ALTER DEFAULT PRIVILEGES as the source stores them (pg_default_acl).
#pragma once

#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct DefaultPrivilegeEntry {
  std::string role;          // defaclrole: whose new objects get these privileges (unquoted)
  std::string schema;        // unquoted; empty for an entry that applies in every schema
  std::string schema_owner;  // the schema's owner on the source; empty with no schema
  char object_type = 'r';    // defaclobjtype: r tables, S sequences, f functions, T types, n schemas
  std::vector<std::string> acl;  // aclitem texts
};

// The entries of the named schemas and, with `global`, those of no schema
// (defaclnamespace = 0; database clones), ordered by role, schema, type.
std::vector<DefaultPrivilegeEntry> read_default_privileges(pg::Connection& conn,
                                                           const std::vector<std::string>& schemas, bool global);

}  // namespace pgclone::agent::catalog
