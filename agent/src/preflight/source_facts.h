#pragma once
// What pgclone.preflight() reads on the source, inside one REPEATABLE READ
// READ ONLY transaction: the server, the schema's scope as a schema clone
// selects and plans it (plan/schema_planner.h: the same readers, so what
// preflight checks is what clone would do), and the facts only preflight
// needs (sizes, privileges, collations, objects only a superuser creates).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pg/connection.h"
#include "plan/clone_plan.h"
#include "plan/schema_planner.h"
#include "preflight/verdicts.h"

namespace pgclone::agent::preflight {

struct SourceServer {
  std::string version;  // server_version
  int version_num = 0;
  std::string encoding, collate, ctype;
  std::string user;
  bool superuser = false;
  LockSettings locks;
};
SourceServer read_source_server(pg::Connection& source);

// A collation of another schema that the scope's columns or domains use;
// the clone refers to it by name.
struct UsedCollation {
  std::string schema, name;
  std::string shown() const;  // qualified, quoted
};

struct SourceScope {
  plan::ScopeRelations relations;
  std::int64_t locks_needed = 0;     // what the keeper holds: relations_to_lock + the sequences it reads
  std::int64_t locked_tables = 0;
  std::int64_t read_sequences = 0;
  std::int64_t total_bytes = 0;      // pg_total_relation_size of the tables and materialized views
  bool schema_usage = true;          // the source user's USAGE on the schema
  std::vector<std::string> unreadable;  // relations the source user may not SELECT (quoted, qualified)
  std::vector<UsedCollation> collations;
  std::vector<std::string> superuser_only;  // "function s.f(integer) in language c", ...
  // The clone's plan, read as a clone reads it (owners included); nullopt
  // with plan_error when the clone's own reading would fail.
  std::optional<plan::ClonePlan> plan;
  std::string plan_error;
  // The extensions the plan creates (its "extension" steps) and their
  // versions on the source.
  std::map<std::string, std::string> extensions;
};

// Preconditions: open_source's session, a REPEATABLE READ READ ONLY
// transaction, a schema that exists. A read that the source refuses inside
// the planner is caught (a savepoint) and kept as plan_error.
SourceScope read_source_scope(pg::Connection& source, const std::string& schema);

bool schema_exists(pg::Connection& source, const std::string& schema);

}  // namespace pgclone::agent::preflight
