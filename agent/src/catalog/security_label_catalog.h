// Security labels (SECURITY LABEL FOR provider ON ... IS ...) of the source's
// objects, as pg_seclabel (objects of the database) and pg_shseclabel
// (databases and roles, shared by the cluster) hold them.
#pragma once

#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct SecurityLabel {
  std::string key;  // the labelled object's catalog key ("1259:16384"), a column's is its table's
  int subid = 0;    // column number, 0 for the object itself
  std::string name;  // unquoted: a column's (subid > 0), a role's or a database's name; else empty
  std::string provider;
  std::string label;
  std::string kind;      // pg_identify_object's type: "table", "table column", "function", "role"...
  std::string identity;  // pg_identify_object's identity: qualified, quoted, functions with arguments
};

// Every label of pg_seclabel (large objects' too).
std::vector<SecurityLabel> read_security_labels(pg::Connection& conn);

// Labels of one table (and its columns), of the sequences it owns (serial,
// identity: their `name` is the owning column's) and of those its column
// defaults call (`name` empty unless this table owns them).
std::vector<SecurityLabel> read_table_security_labels(pg::Connection& conn, const std::string& table_oid);

// Labels of the database the session is connected to (pg_shseclabel).
std::vector<SecurityLabel> read_database_security_labels(pg::Connection& conn);

// Labels of every role (pg_shseclabel); pg_shseclabel is readable by anyone.
std::vector<SecurityLabel> read_role_security_labels(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
