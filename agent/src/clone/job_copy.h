#pragma once
// A COPY relay whose progress shows in the job while it runs: bytes and rows
// as they pass, corrected to the target's exact row count at the end, and
// taken back if the load fails (its transaction rolls back).

#include <string>

#include "copy/copy_relay.h"
#include "jobs/job.h"

namespace pgclone::agent::clone {

copy::CopyStats relay_for_job(jobs::Job& job, pg::Connection& source, const std::string& source_copy,
                              pg::Connection& target, const std::string& target_copy);

}  // namespace pgclone::agent::clone
