#pragma once
// A table load as it travels to a worker agent and back: the coordinator's
// plan pieces turned into protocol::TaskAssign, and on the worker the same
// pieces rebuilt and run (clone/table_load_task.h) in a job of its own that
// stands for the coordinator's.

#include <memory>
#include <string>
#include <vector>

#include "jobs/job.h"
#include "pgclone/protocol/worker_messages.h"
#include "plan/clone_plan.h"
#include "trust/enrolment.h"

namespace pgclone::agent::cluster {

// The coordinator's side: everything a worker needs to load `task`.
protocol::TaskAssign load_table_assignment(const jobs::Job& job, const plan::TableTask& task,
                                           const std::vector<const plan::Step*>& steps,
                                           const std::string& snapshot_id, bool include_data, bool redo);

// The coordinator's side: steps to run on a target session (kTaskRunSteps).
protocol::TaskAssign steps_assignment(const jobs::Job& job, const std::vector<const plan::Step*>& steps);

// The worker's side. The job a task runs in: the coordinator's request,
// options and verified owner; its target sessions log in as the worker's own
// enrolment of the owner's server says. Throws jobs::JobRequestError when the
// server is not enrolled here or the options do not parse.
std::unique_ptr<jobs::Job> job_for_task(const protocol::TaskAssign& task, const trust::Enrolment& enrolment);

// Runs the task to its end in `job` (whose stop cancels it); never throws.
protocol::TaskResult run_task(const protocol::TaskAssign& task, jobs::Job& job);

}  // namespace pgclone::agent::cluster
