// Security labels (SECURITY LABEL FOR provider ON ... IS ...) of the source
// database's objects, as pg_seclabel holds them.
#pragma once

#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct SecurityLabel {
  std::string key;  // the labelled object's catalog key ("1259:16384"), a column's is its table's
  int subid = 0;    // column number, 0 for the object itself
  std::string provider;
  std::string label;
  std::string kind;      // pg_identify_object's type: "table", "table column", "function"...
  std::string identity;  // pg_identify_object's identity: qualified, quoted, functions with arguments
};

std::vector<SecurityLabel> read_security_labels(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
