// User-defined base types (CREATE TYPE name (INPUT = ..., OUTPUT = ...)) and
// shell types left as shells (CREATE TYPE name).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

struct BaseTypeDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  bool shell = false;  // typisdefined = false: only the name exists
  // Support functions: quoted qualified names, empty when not set.
  std::string input, output, receive, send, typmod_in, typmod_out, analyze, subscript;
  int length = -1;  // typlen; -1 = variable
  bool by_value = false;
  char alignment = 'i';  // typalign
  char storage = 'p';    // typstorage
  std::string category = "U";
  bool preferred = false;
  char delimiter = ',';
  std::string element;  // format_type of typelem, empty when none
  bool collatable = false;
  std::optional<std::string> default_value;  // typdefault (a literal)
  std::optional<std::string> comment;
};

// Base and shell types of the schemas (not array types, not extension
// members), by schema then name.
std::vector<BaseTypeDefinition> read_base_types(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
