#include "clone/job_copy.h"

namespace pgclone::agent::clone {

copy::CopyStats relay_for_job(jobs::Job& job, pg::Connection& source, const std::string& source_copy,
                              pg::Connection& target, const std::string& target_copy) {
  std::int64_t live_rows = 0;
  try {
    const copy::CopyStats stats =
        copy::relay_copy(source, source_copy, target, target_copy, [&](std::int64_t bytes, std::int64_t rows) {
          job.add_bytes(bytes);
          job.add_rows(rows);
          live_rows += rows;
        });
    job.add_rows(stats.rows - live_rows);
    return stats;
  } catch (...) {
    job.add_rows(-live_rows);
    throw;
  }
}

}  // namespace pgclone::agent::clone
