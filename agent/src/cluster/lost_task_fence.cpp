#include "cluster/lost_task_fence.h"

#include <chrono>
#include <thread>

#include "pg/connection.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/worker_messages.h"
#include "util/log.h"

namespace pgclone::agent::cluster {
namespace {

constexpr auto kWaitForEnd = std::chrono::seconds(30);

}  // namespace

void end_lost_task_sessions(const std::string& target_conninfo, std::uint64_t task_id, const jobs::Job& job) {
  // The agent's own login, not the job's owner: the lost session logged in
  // as the agent's role too, and only that role (or a superuser) may end it.
  pg::Connection target = pg::Connection::open(target_conninfo, "target");
  const std::string name = protocol::task_application_name(task_id);
  const auto deadline = std::chrono::steady_clock::now() + kWaitForEnd;
  for (bool first = true;; first = false) {
    const pg::Result left = target.query(
        // Any role may name its session so; only sessions of a role this
        // login may signal can be the lost worker's (README: the same role
        // or a superuser), and ending another's would be an error anyway.
        "SELECT pid, pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
        "WHERE application_name = $1 AND pid <> pg_catalog.pg_backend_pid() "
        "  AND pg_catalog.pg_has_role(usesysid, 'MEMBER')",
        {name});
    if (left.rows() == 0) return;
    if (first) {
      log::warn("job ", job.id(), ": ending ", left.rows(), " target session(s) of lost task ", task_id,
                " (backend ", left.get(0, 0), ") before redoing it");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw pg::PgError(protocol::sqlstate::kObjectNotInPrerequisiteState,
                        "the target session of a lost worker's task did not end (backend " + left.get(0, 0) + ")",
                        "A table is loaded again only once the earlier attempt's transaction has ended.",
                        "Terminate that backend, then resume the job.");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace pgclone::agent::cluster
