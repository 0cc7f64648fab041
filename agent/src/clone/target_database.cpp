#include "clone/target_database.h"

#include "clone/job_session.h"
#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "pg/conninfo.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::clone {

TargetDatabase::TargetDatabase(jobs::Job& job) : job_(job) {
  const protocol::CloneRequest& request = job.request();
  const std::string& name = request.target_database;
  if (name.size() > ddl::kMaxIdentifierBytes) {
    throw pg::PgError(protocol::sqlstate::kInvalidName,
                      "database name \"" + name + "\" is too long",
                      "PostgreSQL names are at most 63 bytes.");
  }
  pg::Connection here = open_target(job.target_conninfo(), job);
  InterruptRegistration interrupt(job, here);
  if (here.query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", {name}).rows() == 0) {
    here.exec("CREATE DATABASE " + ddl::quote_ident(name));
    job.journal().mark_passed("created_database");
    job.add_notice("notice", "created database " + ddl::quote_ident(name));
  }
  // Also true when the job this one resumes created it.
  created_ = job.journal().passed("created_database");
  conninfo_ = pg::conninfo_with_dbname(job.target_conninfo(), name);
  try {
    // The agent's own login installs pgclone (it is not a trusted
    // extension), but only into a database this job created, fresh from its
    // template, or for a superuser: nobody else's objects run as that login.
    pg::Connection there = pg::Connection::open(conninfo_, "target", [&job] { throw_if_stopped(job); });
    InterruptRegistration there_interrupt(job, there);
    const bool installed =
        there.query("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pgclone'").rows() > 0;
    // CREATE EXTENSION would reuse a schema of that name, whoever owns it.
    if (!installed && there.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'pgclone'").rows() > 0) {
      throw pg::PgError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                        "database " + ddl::quote_ident(name) + " has a schema pgclone but not the extension",
                        "pgclone installs itself into a schema of its own.",
                        "Drop or rename that schema, or install the extension there yourself.");
    }
    if (!installed && !created_ && !job.owner().is_superuser) {
      throw pg::PgError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                        "extension pgclone is not installed in database " + ddl::quote_ident(name),
                        "A non-superuser can clone only into a database that has pgclone, or one the clone creates.",
                        "Ask a superuser to run CREATE EXTENSION pgclone in database " + ddl::quote_ident(name) + ".");
    }
    if (!installed) there.exec("CREATE EXTENSION IF NOT EXISTS pgclone");
  } catch (...) {
    drop_if_created();
    throw;
  }
}

void TargetDatabase::drop_if_created() noexcept {
  if (!created_) return;
  try {
    pg::Connection here = open_target_for_cleanup(job_.target_conninfo(), job_);
    here.exec("DROP DATABASE IF EXISTS " + ddl::quote_ident(job_.request().target_database) +
              " WITH (FORCE)");
    created_ = false;
  } catch (const std::exception& e) {
    log::error("job ", job_.id(), ": could not drop the partly cloned database ",
               job_.request().target_database, ": ", e.what());
  }
}

}  // namespace pgclone::agent::clone
