#include "trust/caller_verifier.h"

#include <algorithm>


#include "pg/conninfo.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/caller_proof.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::trust {
namespace {

namespace sqlstate = protocol::sqlstate;

// Keys as protocol::proof_lock_keys derives them: the first three big-endian
// 32-bit words of SHA-256(proof). Both locks must be held by one backend of
// this very database.
const std::string kVerifyCaller =
    "WITH d AS (SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.decode($1, 'hex')), 'hex') AS h),"
    " k AS (SELECT ('x' || pg_catalog.substr(h, 1, 8))::bit(32)::bigint AS k1,"
    "              ('x' || pg_catalog.substr(h, 9, 8))::bit(32)::bigint AS k2,"
    "              ('x' || pg_catalog.substr(h, 17, 8))::bit(32)::bigint AS k3 FROM d) "
    "SELECT a.pid, b.objid::bigint AS role_oid, r.rolname, r.rolsuper, db.oid::bigint AS database_oid "
    "FROM k "
    "JOIN pg_catalog.pg_locks a ON a.locktype = 'advisory' AND a.granted AND a.objsubid = " +
    std::to_string(protocol::kProofLockA) +
    "  AND a.classid::bigint = k.k1 AND a.objid::bigint = k.k2 "
    "JOIN pg_catalog.pg_locks b ON b.locktype = 'advisory' AND b.granted AND b.objsubid = " +
    std::to_string(protocol::kProofLockB) +
    "  AND b.pid = a.pid AND b.database = a.database AND b.classid::bigint = k.k3 "
    "JOIN pg_catalog.pg_database db ON db.oid = a.database AND db.datname = pg_catalog.current_database() "
    "JOIN pg_catalog.pg_roles r ON r.oid = b.objid";

bool is_hex_proof(const std::string& proof) {
  if (proof.size() != static_cast<std::size_t>(protocol::kProofHexLength)) return false;
  return proof.find_first_not_of("0123456789abcdef") == std::string::npos;
}

pg::Connection login(const EnrolledServer& server, const std::string& database) {
  try {
    // The agent's own login in the caller's database: nothing the caller
    // created there may resolve before pg_catalog.
    return pg::Connection::open(target_conninfo_for(server, database), "target", {},
                                {{"options", "-c search_path=pg_catalog"}});
  } catch (const pg::PgError& e) {
    throw pg::PgError(e.sqlstate,
                      "pgclone agent could not log in to server \"" + server.name + "\" to verify the caller: " +
                          e.message,
                      e.detail, "Check the \"target\" of server \"" + server.name + "\" in the agent's --servers file.");
  }
}

}  // namespace

jobs::JobOwner verify_caller(const EnrolledServer& server, const protocol::Caller& caller) {
  if (!is_hex_proof(caller.proof)) {
    throw pg::PgError(sqlstate::kProtocolViolation, "request carries no valid caller proof");
  }
  if (caller.database.empty() || caller.database.size() > protocol::kMaxIdentifierBytes) {
    throw pg::PgError(sqlstate::kProtocolViolation, "request names no valid calling database");
  }
  pg::Connection connection = login(server, caller.database);
  pg::Result found = connection.query(kVerifyCaller, {caller.proof});
  if (found.rows() != 1) {
    throw pg::PgError(sqlstate::kInvalidAuthorization, "pgclone agent could not verify the calling session",
                      "No session of database \"" + caller.database + "\" on server \"" + server.name +
                          "\" holds this request's caller proof.",
                      "The call may have been cancelled meanwhile; run it again.");
  }
  jobs::JobOwner owner;
  owner.server = server.name;
  owner.database = caller.database;
  owner.database_oid = found.get_int(0, "database_oid");
  owner.role_oid = found.get_int(0, "role_oid");
  owner.role = found.get(0, "rolname");
  owner.is_superuser = found.get_bool(0, "rolsuper");
  owner.backend_pid = static_cast<int>(found.get_int(0, "pid"));
  return owner;
}

CallerVerifier::CallerVerifier(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

CallerVerifier::~CallerVerifier() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

bool CallerVerifier::submit(EnrolledServer server, protocol::Caller caller, Done done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    // One server (say, with a stolen key) may take half the queue, never all
    // of it: the callers of the other servers still get through.
    std::size_t of_server = 0;
    for (const Task& queued : queue_) of_server += queued.server.name == server.name;
    if (of_server >= std::max<std::size_t>(1, max_queued_ / 2)) return false;
    queue_.push_back(Task{std::move(server), std::move(caller), std::move(done)});
  }
  changed_.notify_one();
  return true;
}

void CallerVerifier::run() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      const jobs::JobOwner owner = verify_caller(task.server, task.caller);
      task.done(&owner, protocol::ErrorInfo{});
    } catch (const pg::PgError& e) {
      log::warn("refused a request from server ", task.server.name, ": ", e.message);
      task.done(nullptr, protocol::ErrorInfo{e.sqlstate, e.message, e.detail, e.hint, ""});
    } catch (const std::exception& e) {
      log::error("verifying a caller of server ", task.server.name, ": ", e.what());
      task.done(nullptr, protocol::ErrorInfo{sqlstate::kInternalError,
                                             std::string("internal error in pgclone agent: ") + e.what(), "", "", ""});
    }
  }
}

}  // namespace pgclone::agent::trust
