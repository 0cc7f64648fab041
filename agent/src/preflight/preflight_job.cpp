#include "preflight/preflight_job.h"

#include <optional>

#include "clone/job_session.h"
#include "ddl/sql_text.h"
#include "pg/conninfo.h"
#include "pg/pg_error.h"
#include "preflight/free_space.h"
#include "preflight/report.h"
#include "preflight/source_facts.h"
#include "preflight/target_checks.h"

namespace pgclone::agent::preflight {
namespace {

constexpr const char* kReadOnly = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

void check_source_privileges(Report& report, const SourceServer& server, const SourceScope& scope,
                             const std::string& schema) {
  nlohmann::json facts = {{"user", server.user},
                          {"superuser", server.superuser},
                          {"schema_usage", scope.schema_usage},
                          {"missing_select", scope.unreadable}};
  std::vector<std::string> problems;
  if (!scope.schema_usage) problems.push_back("no USAGE privilege on schema " + ddl::quote_ident(schema));
  if (!scope.unreadable.empty()) problems.push_back("no SELECT privilege on " + ddl::join(scope.unreadable));
  if (!problems.empty()) {
    report.add("source_privileges", Status::kError,
               "the source role " + ddl::role_shown(server.user) + " cannot read the whole schema: " +
                   ddl::join(problems, "; "),
               facts);
  } else {
    report.add("source_privileges", Status::kOk,
               "the source role " + ddl::role_shown(server.user) + " may read every table and sequence of the schema",
               facts);
  }
}

void check_locks(Report& report, const SourceServer& server, const SourceScope& scope) {
  const LockSettings& s = server.locks;
  report.add("locks", judge_locks(scope.locks_needed, s),
             {{"needed", scope.locks_needed},
              {"tables", scope.locked_tables},
              {"sequences", scope.read_sequences},
              {"max_locks_per_transaction", s.max_locks_per_transaction},
              {"max_connections", s.max_connections},
              {"max_prepared_transactions", s.max_prepared_transactions},
              {"lock_table_size", s.slots()}});
}

void check_space(Report& report, pg::Connection& target, const SourceScope& scope) {
  const TargetStorage storage = read_target_storage(target);
  nlohmann::json facts = {{"estimated_bytes", scope.total_bytes}, {"path", storage.path}};
  facts["free_bytes"] = storage.free_bytes ? nlohmann::json(*storage.free_bytes) : nlohmann::json(nullptr);
  report.add("disk_space", judge_space(scope.total_bytes, storage.free_bytes, storage.why_unknown), facts);
}

// The source session, or the failed check saying why there is none.
std::optional<pg::Connection> connect_source(Report& report, jobs::Job& job) {
  const std::string& conninfo = job.request().source_conninfo;
  try {
    return clone::open_source(conninfo, job);
  } catch (const pg::PgError& e) {
    clone::throw_if_stopped(job);
    report.add("source_connection", Status::kError,
               "could not connect to the source: " + pg::scrub_secrets(e.message, conninfo),
               {{"sqlstate", e.sqlstate}, {"detail", pg::scrub_secrets(e.detail, conninfo)}});
    return std::nullopt;
  }
}

}  // namespace

std::string preflight(jobs::Job& job) {
  const std::string& schema = job.request().schema;
  Report report(schema);

  job.set_phase("connecting");
  std::optional<pg::Connection> source = connect_source(report, job);
  pg::Connection target = clone::open_target(job.target_conninfo(), job);
  clone::InterruptRegistration target_interrupt(job, target);
  target.exec(kReadOnly);
  const TargetServer target_server = read_target_server(target);
  if (!source) {
    report.add("versions", Status::kInfo,
               "the target runs PostgreSQL " + target_server.version + "; the source's version is unknown",
               {{"target_version", target_server.version}, {"target_version_num", target_server.version_num}});
    report.note("the checks of the schema's contents were not run: the source could not be reached");
    target.exec("COMMIT");
    return report.json();
  }
  clone::InterruptRegistration source_interrupt(job, *source);

  job.set_phase("reading catalog");
  source->exec(kReadOnly);
  const SourceServer source_server = read_source_server(*source);
  report.add("source_connection", Status::kOk,
             "connected to the source as " + ddl::role_shown(source_server.user) + ", PostgreSQL " +
                 source_server.version,
             {{"server_version", source_server.version},
              {"server_version_num", source_server.version_num},
              {"user", source_server.user},
              {"superuser", source_server.superuser}});
  report.add("versions", judge_versions(source_server.version_num, target_server.version_num),
             {{"source_version", source_server.version},
              {"source_version_num", source_server.version_num},
              {"target_version", target_server.version},
              {"target_version_num", target_server.version_num}});
  report.add("encoding", judge_encodings(source_server.encoding, target_server.encoding),
             {{"source_encoding", source_server.encoding}, {"target_encoding", target_server.encoding}});

  if (!schema_exists(*source, schema)) {
    report.add("source_schema", Status::kError, "source schema " + ddl::quote_ident(schema) + " does not exist");
    report.note("the checks of the schema's contents were not run: the source has no such schema");
    source->exec("COMMIT");
    target.exec("COMMIT");
    return report.json();
  }
  const SourceScope scope = read_source_scope(*source, schema);
  report.add("source_schema", Status::kOk,
             "source schema " + ddl::quote_ident(schema) + ": " + std::to_string(scope.relations.tables.size()) +
                 " tables to clone",
             {{"tables", scope.relations.tables.size()}});
  source->exec("COMMIT");
  clone::throw_if_stopped(job);

  job.set_phase("checking the target");
  check_source_privileges(report, source_server, scope, schema);
  check_locks(report, source_server, scope);
  check_extensions(report, target, target_server, scope);
  check_collations(report, target, source_server, target_server, scope);
  check_roles(report, target, scope, job);
  const std::string state = check_conflicts(report, target, schema, scope);
  check_target_privileges(report, target, schema, state, target_server, scope);
  check_space(report, target, scope);
  target.exec("COMMIT");
  return report.json();
}

}  // namespace pgclone::agent::preflight
