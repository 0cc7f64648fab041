// Text search parsers, templates, dictionaries and configurations (with
// their token mappings).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace pgclone::agent::catalog {

constexpr unsigned kPgTsParser = 3601;
constexpr unsigned kPgTsTemplate = 3764;
constexpr unsigned kPgTsDict = 3600;
constexpr unsigned kPgTsConfig = 3602;

// kind: 'p' parser, 't' template, 'd' dictionary, 'c' configuration.
// Function and object references are quoted and qualified.
struct TextSearchDefinition {
  char kind = 'c';
  std::string oid;
  std::string schema;
  std::string name;
  // parser
  std::string start, get_token, end, lextypes, headline;
  // template
  std::string init, lexize;
  // dictionary
  std::string template_name;
  std::string options;  // dictinitoption, as stored ("stopwords = 'english'"), may be empty
  // configuration
  std::string parser;
  std::vector<std::pair<std::string, std::string>> mappings;  // token alias, dictionaries "a, b"
  std::optional<std::string> comment;
};

// Every text search object of the schemas (not extension members), parsers,
// templates, dictionaries, then configurations, each by schema then name.
std::vector<TextSearchDefinition> read_text_search(pg::Connection& conn, const std::vector<std::string>& schemas);

}  // namespace pgclone::agent::catalog
