#pragma once
// The tables a clone's loading workers take, one at a time: largest ready
// one first, so one big table does not start last and run alone. A table is
// ready once the pre-data steps it needs have committed (load_readiness.h);
// a worker with nothing ready waits for the next commit.

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "clone/sibling_group.h"
#include "jobs/job_journal.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

class LoadQueue {
 public:
  // Tables the journal says are loaded are not queued again (a resumed job).
  LoadQueue(const plan::ClonePlan& plan, const jobs::JobJournal& journal,
            const std::map<std::string, std::size_t>& readiness);

  // The next table to load; waits while none is ready yet. nullptr once
  // every table is taken or a sibling failed.
  const plan::TableTask* next(const jobs::Job& job);

  // Pre-data progress: the first `steps` of its steps have committed.
  void objects_created(std::size_t steps);
  // Every object is created: whatever is left is ready.
  void all_objects_created();
  bool all_created();

  void fail(std::exception_ptr error);  // the first failure wins; waiting workers wake

  const std::vector<const plan::Step*>& steps_of(const std::string& table_id) const;

  std::size_t size() const { return waiting_.size(); }  // still to load
  std::size_t total() const { return total_; }          // in the plan, loaded before or not

  SiblingGroup& group() { return group_; }

 private:
  void release_ready();  // with mutex_ held

  std::mutex mutex_;
  std::condition_variable changed_;
  const std::size_t total_;
  // Not yet ready, by the pre-data steps they wait for (fewest first).
  std::vector<std::pair<std::size_t, const plan::TableTask*>> waiting_;
  std::size_t released_ = 0;                   // waiting_[0, released_) moved to ready_
  std::vector<const plan::TableTask*> ready_;  // a heap, largest on top
  std::size_t created_ = 0;                    // pre-data steps committed
  bool all_created_ = false;
  std::map<std::string, std::vector<const plan::Step*>> table_steps_;
  SiblingGroup group_;
};

}  // namespace pgclone::agent::clone
