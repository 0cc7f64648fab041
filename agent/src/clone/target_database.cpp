#include "clone/target_database.h"

#include "clone/job_session.h"
#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::clone {

std::string conninfo_with_dbname(const std::string& conninfo, const std::string& dbname) {
  std::string quoted = "'";
  for (char c : dbname) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += "'";
  return conninfo + " dbname=" + quoted;  // a later keyword wins in libpq
}

TargetDatabase::TargetDatabase(jobs::Job& job) : job_(job) {
  const protocol::CloneRequest& request = job.request();
  const std::string& name = request.target_database;
  if (name.size() > ddl::kMaxIdentifierBytes) {
    throw pg::PgError(protocol::sqlstate::kInvalidName,
                      "database name \"" + name + "\" is too long",
                      "PostgreSQL names are at most 63 bytes.");
  }
  pg::Connection here = open_target(request.target_conninfo, job);
  InterruptRegistration interrupt(job, here);
  if (here.query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", {name}).rows() == 0) {
    here.exec("CREATE DATABASE " + ddl::quote_ident(name));
    job.journal().mark_passed("created_database");
    job.add_notice("notice", "created database " + ddl::quote_ident(name));
  }
  // Also true when the job this one resumes created it.
  created_ = job.journal().passed("created_database");
  conninfo_ = conninfo_with_dbname(request.target_conninfo, name);
  try {
    pg::Connection there = open_target(conninfo_, job);
    there.exec("CREATE EXTENSION IF NOT EXISTS pgclone");
  } catch (...) {
    drop_if_created();
    throw;
  }
}

void TargetDatabase::drop_if_created() noexcept {
  if (!created_) return;
  try {
    pg::Connection here = open_target_for_cleanup(job_.request().target_conninfo, job_);
    here.exec("DROP DATABASE IF EXISTS " + ddl::quote_ident(job_.request().target_database) +
              " WITH (FORCE)");
    created_ = false;
  } catch (const std::exception& e) {
    log::error("job ", job_.id(), ": could not drop the partly cloned database ",
               job_.request().target_database, ": ", e.what());
  }
}

}  // namespace pgclone::agent::clone
