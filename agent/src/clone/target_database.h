#pragma once
// database_create(): the database to clone into, created when missing (with
// the pgclone extension installed there), and dropped again if the clone
// that created it fails.

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::clone {

class TargetDatabase {
 public:
  // Creates the database named in the request unless it exists; returns with
  // conninfo() pointing at it.
  explicit TargetDatabase(jobs::Job& job);
  const std::string& conninfo() const { return conninfo_; }
  bool created() const { return created_; }
  // Drops the database if this job created it. Best effort; never throws.
  void drop_if_created() noexcept;

 private:
  jobs::Job& job_;
  std::string conninfo_;
  bool created_ = false;
};

}  // namespace pgclone::agent::clone
