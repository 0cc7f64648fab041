// Conversions between encodings (CREATE CONVERSION, in schemas) and, for
// database clones, the objects that convert values outside any schema:
// casts and transforms.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

constexpr unsigned kPgConversion = 2607;
constexpr unsigned kPgCast = 2605;
constexpr unsigned kPgTransform = 3576;

struct ConversionDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  std::string from_encoding, to_encoding;
  std::string function;  // quoted qualified
  bool is_default = false;
  std::optional<std::string> comment;
};

struct CastDefinition {
  std::string oid;
  std::string source_type, target_type;  // format_type
  char method = 'f';      // castmethod: f function, i inout, b binary
  std::string function;   // regprocedure text, for method f
  char context = 'e';     // castcontext: e explicit, a assignment, i implicit
  std::optional<std::string> comment;
};

struct TransformDefinition {
  std::string oid;
  std::string type;      // format_type
  std::string language;  // quoted
  std::string from_sql, to_sql;  // regprocedure texts, empty when none
  std::optional<std::string> comment;
};

std::vector<ConversionDefinition> read_conversions(pg::Connection& conn, const std::vector<std::string>& schemas);
// User-defined casts and transforms (oid >= 16384, not extension members).
std::vector<CastDefinition> read_casts(pg::Connection& conn);
std::vector<TransformDefinition> read_transforms(pg::Connection& conn);

}  // namespace pgclone::agent::catalog
