#pragma once
// A job's piece of work run in a worker agent's slot, as the coordinator sees
// it: hand it to a free slot, wait, and when its worker is lost end that
// worker's target session and hand it out again (as a redo). The callers —
// the table loader and the foreign key validator — only decide whether a
// piece may leave this host, and what to do when it stays.

#include <functional>
#include <optional>
#include <string>

#include "cluster/worker_hub.h"
#include "jobs/job.h"
#include "pgclone/protocol/worker_messages.h"

namespace pgclone::agent::cluster {

// make(redo) builds the assignment (its task_id is set here). Returns the
// outcome of the run that completed (always kDone), or nullopt when the piece
// should run here instead: no hub, or no free slot while this host loads too
// (or no worker is joined). *redone says whether a lost worker had started
// it (then it runs again as a redo, wherever it runs). Throws the task's failure as pg::PgError, and the
// job's stop error when the job stops while it waits for a slot.
std::optional<RemoteOutcome> run_remotely(jobs::Job& job, const std::function<protocol::TaskAssign(bool redo)>& make,
                                      const std::string& target_conninfo, const std::function<bool()>& stopped,
                                      bool* redone);

}  // namespace pgclone::agent::cluster
