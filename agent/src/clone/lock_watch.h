#pragma once
// Watches a running job's target sessions for lock waits, on a thread and a
// login of its own, a few times a second (PostgreSQL's deadlock detector
// cannot see a caller waiting on the agent, so a lock the calling transaction
// holds would otherwise hang both for ever):
// - a session waiting for a lock the waiting caller's backend holds fails the
//   job with 40P01 at once, naming the lock;
// - a wait on any other session shows as the job's phase "waiting for lock on
//   <object> (held by pid N)", and fails the job with 55P03 after the
//   job's lock timeout.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job.h"
#include "pgclone/protocol/error_info.h"

namespace pgclone::agent::clone {

// One lock wait of a job's session.
struct LockWait {
  int waiter = 0;    // the job's session
  int blocker = 0;   // the session holding (or first in line for) the lock
  std::string lock;  // "relation s.t (AccessExclusiveLock)", ...
};

// What a set of waits means for a job (pure, unit-tested).
struct LockVerdict {
  enum class Kind { kNone, kWaiting, kDeadlock } kind = Kind::kNone;
  LockWait wait;  // the wait that decided it
};
// caller_pid: the backend waiting for the job (0 for an async job). Waits of
// the job's sessions on each other (own_pids) are the job's own business: an
// index build after a load, validations side by side.
LockVerdict judge_waits(const std::vector<LockWait>& waits, int caller_pid, const std::vector<int>& own_pids);

// The errors the watch fails a job with.
protocol::ErrorInfo deadlock_error(std::int64_t job_id, const LockWait& wait);
protocol::ErrorInfo lock_timeout_error(const LockWait& wait, std::int64_t timeout_ms);

class LockWatch {
 public:
  // lock_timeout_ms 0: waits on other sessions are shown, never ended.
  LockWatch(jobs::Job& job, std::string conninfo, std::int64_t lock_timeout_ms);
  ~LockWatch();
  LockWatch(const LockWatch&) = delete;
  LockWatch& operator=(const LockWatch&) = delete;

 private:
  void run();

  jobs::Job& job_;
  const std::string conninfo_;
  const std::int64_t lock_timeout_ms_;
  std::mutex mutex_;
  std::condition_variable stop_changed_;
  bool stop_ = false;
  std::thread thread_;
};

// The job's lock timeout: its "lock_timeout" option, else the caller's.
std::int64_t effective_lock_timeout_ms(const jobs::Job& job);

}  // namespace pgclone::agent::clone
