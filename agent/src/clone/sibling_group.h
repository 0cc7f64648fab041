#pragma once
// Threads of one job working side by side (table loads, foreign key
// validations): the first failure wins, and the siblings' connections are
// cancelled so they stop at once instead of finishing work that will be
// thrown away.

#include <exception>
#include <mutex>
#include <vector>

#include "clone/job_session.h"
#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

class SiblingGroup {
 public:
  void fail(std::exception_ptr error);
  bool failed();
  std::exception_ptr failure();  // nullptr while none failed

  void enlist(pg::Connection* connection);
  void release(pg::Connection* connection);

 private:
  std::mutex mutex_;
  std::exception_ptr failure_;
  std::vector<pg::Connection*> connections_;  // cancelled when a sibling fails
};

// Keeps a connection cancellable by the job and by failing siblings while it lives.
class Enlisted {
 public:
  Enlisted(jobs::Job& job, SiblingGroup& group, pg::Connection& connection);
  ~Enlisted();
  Enlisted(const Enlisted&) = delete;
  Enlisted& operator=(const Enlisted&) = delete;

 private:
  SiblingGroup& group_;
  pg::Connection& connection_;
  InterruptRegistration job_registration_;
};

}  // namespace pgclone::agent::clone
