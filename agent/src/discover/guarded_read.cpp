#include "discover/guarded_read.h"

#include "clone/job_session.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::discover {
namespace {

std::string reason_of(const pg::PgError& e) {
  if (e.sqlstate == protocol::sqlstate::kQueryCanceled) return "timed out";
  if (e.sqlstate == "42501") return "permission denied";
  return "failed with SQLSTATE " + e.sqlstate;
}

// Connection failures (class 08) and a server shutting down (57P0x) end the
// discovery: there is no savepoint left to go back to.
bool session_lost(const pg::PgError& e) {
  return e.sqlstate.rfind("08", 0) == 0 || e.sqlstate.rfind("57P", 0) == 0;
}

}  // namespace

std::optional<pg::Result> guarded_read(pg::Connection& source, jobs::Job& job, const std::string& sql,
                                       std::string& why) {
  clone::throw_if_stopped(job);
  source.exec(std::string("SAVEPOINT pgclone_discover; SET LOCAL statement_timeout = '") + kReadTimeout + "'");
  try {
    pg::Result result = source.query(sql);
    source.exec("SET LOCAL statement_timeout = 0; RELEASE SAVEPOINT pgclone_discover");
    return result;
  } catch (const pg::PgError& e) {
    clone::throw_if_stopped(job);  // the job's own cancel also shows as 57014
    if (session_lost(e)) throw;
    source.exec("ROLLBACK TO SAVEPOINT pgclone_discover; RELEASE SAVEPOINT pgclone_discover");
    why = reason_of(e);
    return std::nullopt;
  }
}

}  // namespace pgclone::agent::discover
