// What the lock watch makes of a job's lock waits.
#include <gtest/gtest.h>

#include "clone/lock_watch.h"

namespace pgclone::agent::clone {
namespace {

TEST(LockWatch, ALockTheWaitingCallerHoldsIsADeadlock) {
  const std::vector<LockWait> waits = {{101, 555, "relation s.other (ShareLock)"},
                                       {102, 777, "relation s.t (AccessExclusiveLock)"}};
  const LockVerdict verdict = judge_waits(waits, 777, {101, 102});
  EXPECT_EQ(verdict.kind, LockVerdict::Kind::kDeadlock);
  EXPECT_EQ(verdict.wait.waiter, 102);
  const protocol::ErrorInfo error = deadlock_error(9, verdict.wait);
  EXPECT_EQ(error.sqlstate, "40P01");
  EXPECT_NE(error.message.find("relation s.t (AccessExclusiveLock)"), std::string::npos) << error.message;
  EXPECT_NE(error.detail.find("calling transaction (pid 777)"), std::string::npos) << error.detail;
  EXPECT_NE(error.hint.find("_async"), std::string::npos) << error.hint;
}

TEST(LockWatch, OtherSessionsOrAnAsyncCallerAreWaitedFor) {
  const std::vector<LockWait> waits = {{101, 555, "relation s.t (AccessExclusiveLock)"}};
  EXPECT_EQ(judge_waits(waits, 777, {101}).kind, LockVerdict::Kind::kWaiting);
  EXPECT_EQ(judge_waits(waits, 0, {101}).kind, LockVerdict::Kind::kWaiting);  // async: nobody waits on the job
  EXPECT_EQ(judge_waits({}, 777, {}).kind, LockVerdict::Kind::kNone);
  // The job's sessions waiting on each other: nothing to report.
  EXPECT_EQ(judge_waits({{101, 102, "relation s.t (ShareLock)"}}, 777, {101, 102}).kind, LockVerdict::Kind::kNone);
  const protocol::ErrorInfo error = lock_timeout_error(waits[0], 1500);
  EXPECT_EQ(error.sqlstate, "55P03");
  EXPECT_NE(error.message.find("relation s.t"), std::string::npos);
  EXPECT_NE(error.message.find("1500 ms"), std::string::npos);
  EXPECT_NE(error.detail.find("pid 555"), std::string::npos);
}

}  // namespace
}  // namespace pgclone::agent::clone
