#include "clone/run_job.h"

#include "clone/job_session.h"
#include "clone/lock_watch.h"
#include "clone/role_clone.h"
#include "clone/schema_clone.h"
#include "clone/table_clone.h"
#include "discover/discover_job.h"
#include "diff/diff_job.h"
#include "preflight/preflight_job.h"
#include "pg/conninfo.h"
#include "verify/verify_job.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

std::string scrub(const jobs::Job& job, std::string text) {
  text = pg::scrub_secrets(text, job.request().source_conninfo);
  return pg::scrub_secrets(text, job.target_conninfo());
}

std::string describe(const protocol::CloneRequest& request) {
  if (request.operation == protocol::kOpTable) return "cloning table " + request.schema + "." + request.table;
  if (request.operation == protocol::kOpSchema) return "cloning schema " + request.schema;
  if (request.operation == protocol::kOpFunctions) return "cloning the functions of schema " + request.schema;
  if (request.operation == protocol::kOpDiscover) return "discovering sensitive columns of schema " + request.schema;
  if (request.operation == protocol::kOpDiff) return "comparing schema " + request.schema + " with the target";
  if (request.operation == protocol::kOpPreflight) return "preflight of a clone of schema " + request.schema;
  if (request.operation == protocol::kOpRoles) return "cloning roles";
  if (request.operation == protocol::kOpTableSample) return "sampling table " + request.schema + "." + request.table;
  if (request.operation == protocol::kOpSchemaSample) return "sampling schema " + request.schema;
  if (request.operation == protocol::kOpVerify) {
    return request.schema.empty() ? "verifying the database" : "verifying schema " + request.schema;
  }
  if (request.operation == protocol::kOpDatabaseCreate) return "cloning into new database " + request.target_database;
  return "cloning the database";
}

protocol::ErrorInfo to_error_info(const jobs::Job& job, const pg::PgError& e) {
  const protocol::CloneRequest& request = job.request();
  std::string context = "pgclone job " + std::to_string(job.id()) + ": " + describe(request);
  if (!e.context.empty()) context = e.context + "\n" + context;
  return protocol::ErrorInfo{e.sqlstate, scrub(job, e.message), scrub(job, e.detail),
                             scrub(job, e.hint), scrub(job, context)};
}

}  // namespace

jobs::RunOutcome run_job(jobs::Job& job) {
  jobs::RunOutcome outcome;
  try {
    const std::string& operation = job.request().operation;
    if (operation == protocol::kOpDiscover) {
      // Reads the source only: no target session for a lock watch to watch.
      outcome.result_text = discover::discover_sensitive(job);
    } else if (operation == protocol::kOpDiff) {
      // Reads both sides and changes nothing: no lock to watch.
      outcome.result_text = diff::diff_schema(job);
    } else if (operation == protocol::kOpPreflight) {
      // Reads both sides in READ ONLY transactions; takes no locks to watch.
      outcome.result_text = preflight::preflight(job);
    } else {
      const LockWatch lock_watch(job, job.target_conninfo(), effective_lock_timeout_ms(job));
      if (operation == protocol::kOpRoles) outcome.result_text = clone_roles(job);
      else if (operation == protocol::kOpVerify) outcome.result_text = verify::verify(job);
      else outcome.result_text = operation == protocol::kOpTable ? clone_table(job) : clone_schemas(job);
    }
    outcome.status = jobs::JobStatus::kCompleted;
    return outcome;
  } catch (const pg::PgError& e) {
    outcome.error = to_error_info(job, e);
  } catch (const std::exception& e) {
    outcome.error = {protocol::sqlstate::kInternalError,
                     scrub(job, std::string("internal error in pgclone agent: ") + e.what()), "", "", ""};
  }
  outcome.status = jobs::JobStatus::kFailed;
  if (job.stop_requested()) {
    // Whatever the interrupted call reported, the cause is the stop request.
    try {
      throw_if_stopped(job);
    } catch (const pg::PgError& stop) {
      outcome.error = to_error_info(job, stop);
    }
    // A job the agent aborted (a lock it could not get) failed; one stopped
    // from outside was cancelled.
    outcome.status =
        job.stop_reason() == jobs::StopReason::kAborted ? jobs::JobStatus::kFailed : jobs::JobStatus::kCancelled;
  }
  return outcome;
}

}  // namespace pgclone::agent::clone
