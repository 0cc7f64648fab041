// SQL for foreign data: wrappers, servers, user mappings and the OPTIONS
// clause foreign tables and their columns carry. Pure: no I/O. Statements
// carry no OWNER: the caller owns what it creates on the target.
#pragma once

#include <string>
#include <vector>

#include "catalog/foreign_catalog.h"

namespace pgclone::agent::ddl {

// OPTIONS (name 'value', ...), names quoted as identifiers, values as literals.
std::string fdw_options_clause(const catalog::OptionList& options);

// CREATE FOREIGN DATA WRAPPER with HANDLER/VALIDATOR/OPTIONS, and its comment.
std::vector<std::string> wrapper_statements(const catalog::ForeignDataWrapperDefinition& w);

// CREATE SERVER ... TYPE ... VERSION ... FOREIGN DATA WRAPPER ... OPTIONS, and its comment.
std::vector<std::string> server_statements(const catalog::ForeignServerDefinition& s);

// The mapping's role as CREATE USER MAPPING names it: PUBLIC or a quoted role.
std::string mapping_role(const catalog::UserMappingDefinition& m);

// CREATE USER MAPPING FOR <role> SERVER <server> [OPTIONS (...)]. Secret
// options (password, sslpassword) are written only with keep_secrets; the
// names of those left out are added to `withheld`. The statement holds a
// password only then: never put it in a message.
std::string user_mapping_statement(const catalog::UserMappingDefinition& m, bool keep_secrets,
                                   std::vector<std::string>& withheld);

}  // namespace pgclone::agent::ddl
