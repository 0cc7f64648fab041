#include "cluster/remote_run.h"

#include "clone/job_session.h"
#include "cluster/lost_task_fence.h"
#include "pg/pg_error.h"
#include "util/log.h"

namespace pgclone::agent::cluster {

std::optional<RemoteOutcome> run_remotely(jobs::Job& job, const std::function<protocol::TaskAssign(bool redo)>& make,
                                      const std::string& target_conninfo, const std::function<bool()>& stopped,
                                      bool* redone) {
  WorkerHub* hub = worker_hub();
  *redone = false;
  if (hub == nullptr) return std::nullopt;
  for (;;) {
    clone::throw_if_stopped(job);
    protocol::TaskAssign assign = make(*redone);
    assign.task_id = hub->next_task_id();
    const std::uint64_t task_id = assign.task_id;
    const std::string what = protocol::task_summary(assign);
    std::optional<RemoteOutcome> outcome = hub->try_run(std::move(assign), job, stopped);
    if (!outcome) {
      // No free slot: run here, unless this host leaves the work to its
      // workers (--workers 0) and some are joined; then wait for a slot.
      if (local_loads() || !hub->any_worker()) return std::nullopt;
      if (stopped()) {
        clone::throw_if_stopped(job);
        return std::nullopt;  // a sibling failed: the caller hears it next
      }
      hub->wait_for_free_slot(std::chrono::milliseconds(200));
      continue;
    }
    if (outcome->end == RemoteEnd::kDone) return outcome;
    if (outcome->end == RemoteEnd::kFailed && !outcome->result.refused) {
      const protocol::ErrorInfo& e = outcome->result.error;
      throw pg::PgError(e.sqlstate, e.message, e.detail, e.hint, e.context);
    }
    if (outcome->end == RemoteEnd::kLost) {
      // Its transaction may still be open on the target: end it first.
      end_lost_task_sessions(target_conninfo, task_id, job);
      hub->count_retry();
      log::warn("job ", job.id(), ": task that ", what, " is done again: worker ", outcome->worker,
                " was lost while doing it");
      *redone = true;
    }
  }
}

}  // namespace pgclone::agent::cluster
