#pragma once
// The job manager's runner: dispatches a job to its operation and turns
// whatever it throws into the job's outcome, with secrets scrubbed.

#include "jobs/job_manager.h"

namespace pgclone::agent::clone {

jobs::RunOutcome run_job(jobs::Job& job);

}  // namespace pgclone::agent::clone
