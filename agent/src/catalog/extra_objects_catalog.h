// Schema objects that hang off tables or stand beside types: extended
// statistics (CREATE STATISTICS) and collations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

constexpr unsigned kPgStatisticExt = 3381;
constexpr unsigned kPgCollation = 3456;

struct StatisticsDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  std::string relation_oid;
  std::string definition;  // pg_get_statisticsobjdef
  int target = -1;         // stxstattarget; -1 = default
  std::optional<std::string> comment;
};

struct CollationDefinition {
  std::string oid;
  std::string schema;
  std::string name;
  char provider = 'c';  // collprovider: c libc, i icu, d default
  bool deterministic = true;
  std::string collate, ctype;  // libc
  std::string icu_locale;      // icu
  std::optional<std::string> comment;
};

std::vector<StatisticsDefinition> read_statistics(pg::Connection& conn, const std::vector<std::string>& schemas);
std::vector<CollationDefinition> read_collations(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
