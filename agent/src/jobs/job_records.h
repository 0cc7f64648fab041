#pragma once
// What the job manager's files share beyond job_manager.h: the store record
// of a job and the error for a job the caller may not see.

#include <cstdint>

#include "jobs/job.h"
#include "jobs/job_manager.h"
#include "store/job_store.h"

namespace pgclone::agent::jobs {

store::JobRecord record_of(const Job& job);
JobRequestError not_found(std::int64_t job_id);

}  // namespace pgclone::agent::jobs
