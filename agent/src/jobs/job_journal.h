#pragma once
// What a job has durably finished — tables loaded, phases committed — so that
// a resumed job continues where its predecessor stopped instead of starting
// over. Backed by the agent's store; without one (unit tests) it only
// remembers in memory.

#include <cstdint>
#include <mutex>
#include <set>
#include <string>

namespace pgclone::agent::store {
class JobStore;
}

namespace pgclone::agent::jobs {

class JobJournal {
 public:
  JobJournal(std::int64_t job_id, store::JobStore* store);

  // Reads what was recorded (including what a resumed job inherited).
  void load();

  bool task_done(const std::string& task) const;
  void mark_task_done(const std::string& task, std::int64_t rows, std::int64_t bytes);

  bool passed(const std::string& checkpoint) const;
  void mark_passed(const std::string& checkpoint);
  // Checkpoints whose name starts with prefix (used to carry small facts,
  // e.g. which schemas the job created).
  std::set<std::string> with_prefix(const std::string& prefix) const;

  // After a failed job put the target back as it was, nothing it did counts
  // any more: a resume must start from the beginning.
  void forget();

 private:
  const std::int64_t job_id_;
  store::JobStore* const store_;
  mutable std::mutex mutex_;
  std::set<std::string> tasks_;
  std::set<std::string> checkpoints_;
};

}  // namespace pgclone::agent::jobs
