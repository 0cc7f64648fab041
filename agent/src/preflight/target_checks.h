#pragma once
// The checks of pgclone.preflight() that hold the source's scope against
// the target, on the job's target session (acting as the caller) inside a
// READ ONLY transaction. Each adds one check to the report.

#include <string>

#include "jobs/job.h"
#include "pg/connection.h"
#include "preflight/report.h"
#include "preflight/source_facts.h"

namespace pgclone::agent::preflight {

struct TargetServer {
  std::string version;
  int version_num = 0;
  std::string database, encoding, collate, ctype;
  std::string user;
  bool superuser = false;
  bool create_on_database = false;
};
TargetServer read_target_server(pg::Connection& target);

// "extensions": every extension the plan creates is available on the
// target, installed (which version) or installable by the caller
// (superuser, or a trusted extension and CREATE on the database).
void check_extensions(Report& report, pg::Connection& target, const TargetServer& server, const SourceScope& scope);

// "roles": grantees (and roles of default privileges) the target lacks, as
// the clone's privilege filter sees them, and what the "privileges" option
// does with them; owners the target lacks matter only with "owner": "source".
void check_roles(Report& report, pg::Connection& target, const SourceScope& scope, const jobs::Job& job);

// "conflicts": the schema on the target, as the clone's conflict rules see
// it, and what "conflict" would do. Returns its state ("", "empty", "used").
std::string check_conflicts(Report& report, pg::Connection& target, const std::string& schema,
                            const SourceScope& scope);

// "target_privileges": CREATE on the database (a new schema) or on the
// schema (an empty one reused); objects only a superuser may create.
void check_target_privileges(Report& report, pg::Connection& target, const std::string& schema,
                             const std::string& schema_state, const TargetServer& server, const SourceScope& scope);

// "collations": collations of other schemas the scope uses that the target
// lacks (error), and the databases' default collation and ctype (warning
// when they differ: text sorts and compares differently).
void check_collations(Report& report, pg::Connection& target, const SourceServer& source_server,
                      const TargetServer& server, const SourceScope& scope);

}  // namespace pgclone::agent::preflight
