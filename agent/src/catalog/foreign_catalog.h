// Foreign data: wrappers, servers and user mappings (database-wide objects,
// in no schema), and the facts of foreign tables that their TableDefinition
// carries (server, table and column OPTIONS).
//
// Same preconditions as table_catalog.h: search_path = '' (handler and
// validator names come back schema-qualified) and, on a source, the job's
// snapshot.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "pg/connection.h"

namespace pgclone::agent::catalog {

class TableBatch;

constexpr unsigned kPgForeignDataWrapper = 2328;
constexpr unsigned kPgForeignServer = 1417;
constexpr unsigned kPgUserMapping = 1418;

struct ForeignDataWrapperDefinition {
  std::string oid;
  std::string name;
  std::string handler;    // regproc text, "" = NO HANDLER
  std::string validator;  // regproc text, "" = NO VALIDATOR
  OptionList options;
  std::optional<std::string> comment;
  std::string extension;  // the extension it belongs to ("" = none): CREATE EXTENSION brings it
};

struct ForeignServerDefinition {
  std::string oid;
  std::string name;
  std::string wrapper;
  std::optional<std::string> type;
  std::optional<std::string> version;
  OptionList options;
  std::optional<std::string> comment;
};

struct UserMappingDefinition {
  std::string oid;
  std::string server;
  std::string server_oid;
  std::string role;  // "" = PUBLIC
  // nullopt: the source role may not read them (pg_user_mappings shows them
  // to superusers, to the mapped role and to the server's owner for PUBLIC).
  std::optional<OptionList> options;
};

struct ForeignObjects {
  std::vector<ForeignDataWrapperDefinition> wrappers;
  std::vector<ForeignServerDefinition> servers;
  std::vector<UserMappingDefinition> mappings;
};

// Every wrapper, server and user mapping of the database, by name.
ForeignObjects read_foreign_objects(pg::Connection& conn);

// Options that hold secrets: cloned only by a superuser's clone.
bool is_secret_option(const std::string& name);

// Fills foreign_server, foreign_options and each column's fdw_options of the
// foreign tables of the batch (relkind 'f'; other tables are left alone).
void read_foreign_table_facts(pg::Connection& conn, TableBatch& batch);

}  // namespace pgclone::agent::catalog
