#include "clone/job_session.h"

#include <optional>

#include "pgclone/protocol/clone_options.h"
#include "mask/mask_key.h"
#include "pg/conninfo.h"
#include "pg/pg_error.h"
#include "pg/source_policy.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

// Settings that make text COPY output of one server the exact input of the
// other, whatever their postgresql.conf says.
constexpr const char* kPortableFormats =
    "SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres'; SET extra_float_digits = 3; "
    "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; SET bytea_output = 'hex'";

constexpr const char* kNoTimeouts =
    "SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0";

// Sorting a large table's index in memory instead of on tapes (and giving a
// parallel build all its workers) needs more than the server's 64MB default.
void set_index_build_memory(pg::Connection& target, const std::optional<std::string>& size) {
  if (!size) {
    target.query("SELECT pg_catalog.set_config('maintenance_work_mem', $1, false)"
                 " WHERE pg_catalog.pg_size_bytes(pg_catalog.current_setting('maintenance_work_mem'))"
                 "     < pg_catalog.pg_size_bytes($1)",
                 {protocol::kDefaultIndexBuildMemory});
  } else if (!size->empty()) {
    try {
      target.query("SELECT pg_catalog.set_config('maintenance_work_mem', $1, false)", {*size});
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate, "option \"maintenance_work_mem\": " + e.message, e.detail,
                        "Give a size the target server accepts, such as \"512MB\", or null for its own setting.");
    }
  }
}

// JIT compiling a clone's queries costs more than it saves: the catalog
// reads are large expressions over small catalogs (the dependency read of
// a 2,000-table schema: 1.67 s of compiling for 84 ms of running), and the
// data reads are plain column lists.
constexpr const char* kNoJit = "SET jit = off";

// Both sides: an empty search_path makes every name the catalog functions
// print schema-qualified.
void set_up_session(pg::Connection& connection) {
  connection.exec(std::string(kNoTimeouts) + "; " + kPortableFormats + "; " + kNoJit + "; SET search_path = ''");
}

void set_up_target(pg::Connection& target, const jobs::Job& job) {
  act_as_owner(target, job);
  set_up_session(target);
  set_index_build_memory(target, job.options().maintenance_work_mem);
}

pg::Connection::StopCheck stop_check(const jobs::Job& job) {
  return [&job] { throw_if_stopped(job); };
}

}  // namespace

// Target sessions also make their backend pid known, for the lock watch.
InterruptRegistration::InterruptRegistration(jobs::Job& job, pg::Connection& connection)
    : job_(job),
      token_(job.register_interrupter([&connection] { connection.cancel(); },
                                      connection.label() == "target" ? PQbackendPID(connection.raw()) : 0)) {}

InterruptRegistration::~InterruptRegistration() { job_.unregister_interrupter(token_); }

// Verified when the job was submitted (trust/caller_verifier.h).
bool caller_is_superuser(const jobs::Job& job) { return job.owner().is_superuser; }

pg::Connection open_source(const std::string& conninfo, jobs::Job& job) {
  const bool own_password_only = !caller_is_superuser(job);
  if (own_password_only) pg::check_source_conninfo(conninfo);
  // libpq would present the agent's own ~/.postgresql/postgresql.crt by
  // default; a path under /dev/null makes it go without a client certificate.
  pg::Connection::Overrides overrides;
  if (own_password_only) {
    overrides = {{"sslcert", "/dev/null/no-client-certificate"}, {"sslkey", "/dev/null/no-client-key"}};
  }
  // Keyed masks read the agent's key from the session's settings; the
  // startup packet is the one way in that no statement log shows.
  if (job.options().masked()) {
    overrides.emplace_back("options", mask::options_with_mask_key(pg::conninfo_options(conninfo)["options"]));
  }
  pg::Connection source = pg::Connection::open(conninfo, "source", stop_check(job), overrides);
  if (own_password_only) pg::check_source_used_password(source);
  {
    // Unregistered before the connection is moved out.
    InterruptRegistration interrupt(job, source);
    set_up_session(source);
  }
  return source;
}

// Runs on the agent's own login, often a superuser, in a database its caller
// may own: the function called must be pgclone's C code (only a superuser can
// create a C function, so no role can put its own pgclone.assume_role there).
void act_as_owner(pg::Connection& target, const jobs::Job& job) {
  const pg::Result assumed = target.query(
      "SELECT pgclone.assume_role($1::pg_catalog.oid) FROM pg_catalog.pg_proc p "
      "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
      "JOIN pg_catalog.pg_language l ON l.oid = p.prolang "
      "WHERE n.nspname = 'pgclone' AND p.proname = 'assume_role' AND l.lanname = 'c' "
      "  AND p.prosrc = 'pgclone_assume_role' AND p.probin = '$libdir/pgclone'",
      {std::to_string(job.owner().role_oid)});
  if (assumed.rows() != 1) {
    throw pg::PgError(protocol::sqlstate::kInsufficientPrivilege,
                      "pgclone.assume_role() of database \"" + job.owner().database +
                          "\" is not pgclone's own function",
                      "The agent acts as its caller only through the extension's C function.",
                      "Reinstall the extension: DROP EXTENSION pgclone; CREATE EXTENSION pgclone.");
  }
}

pg::Connection open_target(const std::string& conninfo, jobs::Job& job) {
  pg::Connection target = pg::Connection::open(conninfo, "target", stop_check(job));
  {
    InterruptRegistration interrupt(job, target);
    set_up_target(target, job);
  }
  return target;
}

pg::Connection open_target_for_cleanup(const std::string& conninfo, const jobs::Job& job) {
  pg::Connection target = pg::Connection::open(conninfo, "target");
  set_up_target(target, job);
  // Nothing watches this session: rather than wait for ever on a lock
  // somebody keeps, the cleanup gives up (and says so in the log).
  target.exec("SET lock_timeout = '10s'");
  return target;
}

void throw_if_stopped(const jobs::Job& job) {
  switch (job.stop_reason()) {
    case jobs::StopReason::kNone:
      return;
    case jobs::StopReason::kCancelled:
      throw pg::PgError(protocol::sqlstate::kQueryCanceled,
                        "pgclone job " + std::to_string(job.id()) + " was cancelled",
                        "Nothing of the job was kept on the target.");
    case jobs::StopReason::kAborted: {
      const protocol::ErrorInfo error = job.abort_error();
      throw pg::PgError(error.sqlstate, error.message, error.detail, error.hint);
    }
    case jobs::StopReason::kShutdown:
      throw pg::PgError(protocol::sqlstate::kAdminShutdown,
                        "pgclone agent is shutting down; job " + std::to_string(job.id()) +
                            " was cancelled",
                        "Nothing of the job was kept on the target.");
  }
}

}  // namespace pgclone::agent::clone
