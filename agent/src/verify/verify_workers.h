#pragma once
// Runs pgclone.verify's table comparisons on a pool of worker threads, each
// with one source session (importing the source keeper's snapshot) and one
// target session (importing the target keeper's), so every table of a side
// is read at the same instant. The first failure stops the others
// (SiblingGroup); a cancelled job stops them all.

#include <string>
#include <vector>

#include "jobs/job.h"
#include "pgclone/protocol/verify_options.h"
#include "verify/table_compare.h"

namespace pgclone::agent::verify {

struct WorkerSessions {
  int workers = 1;
  std::string source_conninfo;
  std::string source_snapshot;
  std::string target_conninfo;
  std::string target_snapshot;
};

// Verdicts in the order of `tasks`.
std::vector<TableVerdict> run_comparisons(jobs::Job& job, const std::vector<TableTask>& tasks,
                                          const protocol::VerifyOptions& options, const WorkerSessions& sessions);

}  // namespace pgclone::agent::verify
