#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "jobs/job_manager.h"
#include "store/job_store.h"
#include "temp_dir.h"
#include "pgclone/protocol/codec.h"

namespace pgclone::agent::jobs {
namespace {

using namespace std::chrono_literals;

struct Delivered {
  Waiter waiter;
  protocol::MessageKind kind;
  std::string payload;
};

class Mailbox {
 public:
  void push(const Waiter& waiter, protocol::MessageKind kind, std::string payload) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back({waiter, kind, std::move(payload)});
    changed_.notify_all();
  }
  // Waits for the first JobFinished and decodes it.
  protocol::JobFinished wait_finished(std::chrono::milliseconds limit = 5000ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    protocol::JobFinished finished;
    const bool got = changed_.wait_for(lock, limit, [&] {
      for (const Delivered& m : messages_) {
        if (m.kind == protocol::MessageKind::kJobFinished) {
          protocol::Envelope envelope;
          envelope.kind = static_cast<std::uint8_t>(m.kind);
          envelope.payload = m.payload;
          finished = protocol::unpack_payload<protocol::JobFinished>(envelope);
          return true;
        }
      }
      return false;
    });
    EXPECT_TRUE(got) << "no JobFinished arrived";
    return finished;
  }
  int count(protocol::MessageKind kind) {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const Delivered& m : messages_) n += m.kind == kind;
    return n;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Delivered> messages_;
};

protocol::CloneRequest table_request() {
  protocol::CloneRequest request;
  request.operation = protocol::kOpTable;
  request.schema = "public";
  request.table = "t";
  return request;
}

// A verified principal: server "db1", database OID 16384, role OID by name.
JobOwner owner(const std::string& role, bool superuser = false, const std::string& server = "db1",
               std::int64_t database_oid = 16384) {
  JobOwner o;
  o.server = server;
  o.database_oid = database_oid;
  o.database = "app";
  o.role = role;
  o.role_oid = static_cast<std::int64_t>(std::hash<std::string>{}(role) % 100000) + 10;
  o.is_superuser = superuser;
  return o;
}

const JobOwner kAlice = owner("alice");

JobManager::Notifier to(Mailbox& mailbox) {
  return [&mailbox](const Waiter& w, protocol::MessageKind k, std::string p) { mailbox.push(w, k, std::move(p)); };
}

// Blocks until stopped, like a clone waiting on a server, and reports a cancel.
RunOutcome block_until_stopped(Job& job) {
  while (!job.stop_requested()) std::this_thread::sleep_for(5ms);
  return RunOutcome{JobStatus::kCancelled, "", {"57014", "cancelled", "", "", ""}};
}

TEST(JobManager, RunsAJobAndTellsTheWaiter) {
  Mailbox mailbox;
  JobManager manager(
      2, [](Job& job) { job.add_rows(10); return RunOutcome{JobStatus::kCompleted, "OK: done", {}}; },
      to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"id-1", 77});
  const protocol::JobFinished finished = mailbox.wait_finished();
  EXPECT_EQ(finished.job_id, job->id());
  EXPECT_EQ(finished.status, "completed");
  EXPECT_EQ(finished.result_text, "OK: done");
  EXPECT_EQ(job->progress().rows_copied, 10);
  EXPECT_EQ(manager.counts().by_status["completed"], 1);
}

TEST(JobManager, JobIdsAreDistinctAndIncreasing) {
  Mailbox mailbox;
  JobManager manager(1, [](Job&) { return RunOutcome{JobStatus::kCompleted, "OK", {}}; }, to(mailbox));
  const auto a = manager.submit(table_request(), {}, kAlice, "conn", std::nullopt)->id();
  const auto b = manager.submit(table_request(), {}, kAlice, "conn", std::nullopt)->id();
  EXPECT_LT(a, b);
}

TEST(JobManager, ARunnerExceptionBecomesAFailedJob) {
  Mailbox mailbox;
  JobManager manager(1, [](Job&) -> RunOutcome { throw std::runtime_error("boom"); }, to(mailbox));
  manager.submit(table_request(), {}, kAlice, "conn", Waiter{"w", 1});
  const protocol::JobFinished finished = mailbox.wait_finished();
  EXPECT_EQ(finished.status, "failed");
  EXPECT_EQ(finished.error.sqlstate, "XX000");
  EXPECT_NE(finished.error.message.find("boom"), std::string::npos);
}

TEST(JobManager, CancelStopsARunningJob) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"w", 1});
  while (job->status() != JobStatus::kRunning) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(manager.cancel(job->id(), kAlice),
            CancelResult::kCancelRequested);
  EXPECT_EQ(mailbox.wait_finished().status, "cancelled");
  EXPECT_EQ(manager.cancel(job->id(), kAlice),
            CancelResult::kAlreadyFinished);
}

TEST(JobManager, CancelByTheConnectionThatStartedTheJob) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "backend-7", Waiter{"backend-7", 31});
  EXPECT_EQ(manager.cancel_for_submitter(0, Waiter{"backend-7", 30}), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel_for_submitter(0, Waiter{"backend-8", 31}), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel_for_submitter(job->id(), Waiter{"backend-8", 0}), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel_for_submitter(0, Waiter{"backend-7", 31}), CancelResult::kCancelRequested);
  EXPECT_EQ(mailbox.wait_finished().status, "cancelled");
}

TEST(JobManager, AJobIdFromTheSubmittingConnectionCancelsIt) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "backend-7", std::nullopt);
  EXPECT_EQ(manager.cancel_for_submitter(job->id(), Waiter{"backend-7", 0}), CancelResult::kCancelRequested);
  manager.shutdown();
}

TEST(JobManager, OwnersAreServerDatabaseAndRoleNotNames) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "conn", std::nullopt);
  // A role of the same name in another database or on another server is
  // somebody else; so is a superuser of another server.
  EXPECT_TRUE(manager.list(owner("alice", false, "db1", 99999), 0).empty());
  EXPECT_TRUE(manager.list(owner("alice", false, "db2"), 0).empty());
  EXPECT_TRUE(manager.list(owner("postgres", true, "db2"), 0).empty());
  EXPECT_EQ(manager.cancel(job->id(), owner("alice", false, "db2")), CancelResult::kNotFound);
  ASSERT_EQ(manager.list(kAlice, 0).size(), 1u);
  EXPECT_EQ(manager.list(kAlice, 0)[0].owner, "alice");
  EXPECT_EQ(manager.list(owner("postgres", true), 0).size(), 1u);
  manager.shutdown();
}

TEST(JobManager, OnlyTheOwnerResumesAJob) {
  Mailbox mailbox;
  JobManager manager(1, [](Job&) { return RunOutcome{JobStatus::kFailed, "", {"XX000", "x", "", "", ""}}; },
                     to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"w", 1});
  mailbox.wait_finished();
  try {
    manager.resume(job->id(), owner("postgres", true), "conn2");
    ADD_FAILURE() << "a superuser resumed another role's job";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "42501");
  }
  try {
    manager.resume(job->id(), owner("mallory"), "conn2");
    ADD_FAILURE() << "another role resumed the job";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "42704");
  }
  EXPECT_NE(manager.resume(job->id(), kAlice, "conn2")->id(), job->id());
  manager.shutdown();
}

TEST(JobManager, ARoleCannotQueueMoreThanItsQuota) {
  Mailbox mailbox;
  JobLimits limits;
  limits.max_active_per_role = 3;
  JobManager manager(1, block_until_stopped, to(mailbox), nullptr, {}, limits);
  for (int i = 0; i < 3; ++i) manager.submit(table_request(), {}, kAlice, "conn", std::nullopt);
  try {
    manager.submit(table_request(), {}, kAlice, "conn", std::nullopt);
    ADD_FAILURE() << "a fourth job was queued";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "53400");
  }
  // Another role still gets in.
  EXPECT_NO_THROW(manager.submit(table_request(), {}, owner("bob"), "conn", std::nullopt));
  manager.shutdown();
}

TEST(JobManager, OneRoleNeverHoldsEveryWorker) {
  Mailbox mailbox;
  JobManager manager(2, [](Job& job) {
    if (job.owner().role == "mallory") return block_until_stopped(job);
    return RunOutcome{JobStatus::kCompleted, "OK", {}};
  }, to(mailbox));
  // Two workers, one running job per role: mallory's second job waits and
  // alice's runs beside mallory's first.
  auto first = manager.submit(table_request(), {}, owner("mallory"), "m", std::nullopt);
  auto second = manager.submit(table_request(), {}, owner("mallory"), "m", std::nullopt);
  manager.submit(table_request(), {}, kAlice, "a", Waiter{"alice", 1});
  EXPECT_EQ(mailbox.wait_finished().status, "completed");
  EXPECT_EQ(second->status(), JobStatus::kPending);
  manager.shutdown();
}

TEST(JobManager, OnlyTheNewestFinishedJobsAreKept) {
  Mailbox mailbox;
  JobLimits limits;
  limits.max_finished = 2;
  JobManager manager(1, [](Job&) { return RunOutcome{JobStatus::kCompleted, "OK", {}}; }, to(mailbox), nullptr, {},
                     limits);
  std::int64_t last = 0;
  for (int i = 0; i < 5; ++i) last = manager.submit(table_request(), {}, kAlice, "c", std::nullopt)->id();
  for (int i = 0; i < 500 && manager.counts().by_status["completed"] + manager.counts().by_status["pending"] +
                                     manager.counts().by_status["running"] > 2;
       ++i) {
    std::this_thread::sleep_for(5ms);
  }
  const auto kept = manager.list(kAlice, 0);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.back().job_id, last);
}

TEST(JobManager, OtherRolesCannotSeeOrCancelAJob) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"w", 1});
  EXPECT_EQ(manager.cancel(job->id(), owner("mallory")), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel(job->id() + 100, kAlice), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel(job->id(), owner("postgres", true)),
            CancelResult::kCancelRequested);
  mailbox.wait_finished();
}

TEST(JobManager, InterruptersRunOnStopAndLateRegistrationsFireAtOnce) {
  Job job(1, table_request(), {}, kAlice);
  std::atomic<int> interrupted{0};
  const int token = job.register_interrupter([&] { ++interrupted; });
  job.request_stop(StopReason::kCancelled);
  EXPECT_EQ(interrupted, 1);
  job.unregister_interrupter(token);
  job.register_interrupter([&] { ++interrupted; });
  EXPECT_EQ(interrupted, 2);
  job.request_stop(StopReason::kShutdown);  // only the first reason counts
  EXPECT_EQ(job.stop_reason(), StopReason::kCancelled);
}

TEST(JobManager, HeartbeatsReachWaitersOfRunningJobs) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"w", 1});
  manager.send_heartbeats();
  manager.send_heartbeats();
  EXPECT_EQ(mailbox.count(protocol::MessageKind::kJobProgress), 2);
  manager.shutdown();
}

TEST(JobManager, ShutdownCancelsRunningAndQueuedJobs) {
  Mailbox running_box, queued_box;
  std::atomic<bool> first{true};
  auto mailbox_for = [&](const Waiter& w, protocol::MessageKind k, std::string p) {
    (w.identity == "running" ? running_box : queued_box).push(w, k, std::move(p));
  };
  JobManager manager(1, block_until_stopped, mailbox_for);
  auto running = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"running", 1});
  while (running->status() != JobStatus::kRunning) std::this_thread::sleep_for(1ms);
  auto queued = manager.submit(table_request(), {}, kAlice, "conn", Waiter{"queued", 2});
  manager.shutdown();
  const protocol::JobFinished a = running_box.wait_finished();
  const protocol::JobFinished b = queued_box.wait_finished();
  EXPECT_EQ(a.status, "cancelled");
  EXPECT_EQ(a.error.sqlstate, "57P01");
  EXPECT_EQ(b.status, "cancelled");
  EXPECT_EQ(b.error.sqlstate, "57P01");
  // After shutdown, new jobs are refused the same way.
  Mailbox late;
  auto refused = manager.submit(table_request(), {}, kAlice, "conn", std::nullopt);
  EXPECT_EQ(refused->status(), JobStatus::kCancelled);
  (void)first;
}

}  // namespace
}  // namespace pgclone::agent::jobs

namespace pgclone::agent::jobs {
namespace {

// A job an earlier agent stored with options this one refuses (say, a pattern
// RE2 rejects) is listed, but never resumed with default options, which would
// clone every table.
TEST(JobManager, AJobWhoseStoredOptionsNoLongerParseIsNotResumed) {
  testing::TempDir dir;
  store::JobStore store(dir.path());
  store::JobRecord record;
  record.id = 5;
  record.owner = kAlice;
  record.status = "failed";
  record.request = table_request();
  record.request.operation = protocol::kOpSchema;
  record.request.options_json = R"json({"tables": ["(?=lookahead)"]})json";
  store.insert(record);
  Mailbox mailbox;
  JobManager manager(1, [](Job&) { return RunOutcome{JobStatus::kCompleted, "OK", {}}; }, to(mailbox), &store);
  ASSERT_EQ(manager.list(kAlice, 5).size(), 1u);
  try {
    manager.resume(5, kAlice, "conn");
    ADD_FAILURE() << "resumed with default options";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "55000");
  }
}

}  // namespace
}  // namespace pgclone::agent::jobs

namespace pgclone::agent::jobs {
namespace {

TEST(JobManager, StatusCountsOnlyTheAskingServersJobs) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  manager.submit(table_request(), {}, owner("alice", false, "db1"), "c", std::nullopt);
  manager.submit(table_request(), {}, owner("alice", false, "db2"), "c", std::nullopt);
  manager.submit(table_request(), {}, owner("bob", false, "db2"), "c", std::nullopt);
  auto total = [](const JobCounts& counts) {
    int n = 0;
    for (const auto& [status, count] : counts.by_status) n += count;
    return n;
  };
  EXPECT_EQ(total(manager.counts("db1")), 1);
  EXPECT_EQ(total(manager.counts("db2")), 2);
  EXPECT_EQ(total(manager.counts()), 3);
  manager.shutdown();
}

}  // namespace
}  // namespace pgclone::agent::jobs

namespace pgclone::agent::jobs {
namespace {

// A named source's conninfo holds its user mapping's password: the store
// never gets it, and a resume must bring it again (built from the resuming
// role's mapping); the agent's own --resume-interrupted cannot.
TEST(JobManager, ANamedSourcesConninfoIsNeverStoredAndResumeNeedsItAgain) {
  testing::TempDir dir;
  store::JobStore store(dir.path());
  Mailbox mailbox;
  std::string ran_with;
  {
    JobManager manager(1, [&ran_with](Job& job) {
      ran_with = job.request().source_conninfo;
      return RunOutcome{JobStatus::kFailed, "", {"XX000", "x", "", "", ""}};
    }, to(mailbox), &store);
    protocol::CloneRequest request = table_request();
    request.source_server = "prod";
    request.source_conninfo = "host=prod user=reader password=Old_Pw_1";
    const auto job = manager.submit(request, {}, kAlice, "conn", Waiter{"w", 1});
    mailbox.wait_finished();
    EXPECT_EQ(ran_with, "host=prod user=reader password=Old_Pw_1");
    EXPECT_EQ(manager.list(kAlice, job->id()).at(0).source, "prod");
    EXPECT_EQ(manager.list(kAlice, job->id()).at(0).source_server, "prod");
    manager.shutdown();
  }
  const std::vector<store::JobRecord> stored = store.load_all();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].request.source_conninfo, "");
  EXPECT_EQ(stored[0].request.source_server, "prod");

  Mailbox again;
  JobManager manager(1, [&ran_with](Job& job) {
    ran_with = job.request().source_conninfo;
    return RunOutcome{JobStatus::kCompleted, "OK", {}};
  }, to(again), &store);
  try {
    manager.resume(stored[0].id, kAlice, "conn2");
    ADD_FAILURE() << "resumed without the named source's conninfo";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "55000");
  }
  const auto resumed = manager.resume(stored[0].id, kAlice, "conn2", "host=prod user=reader password=New_Pw_2");
  for (int i = 0; i < 400 && resumed->status() != JobStatus::kCompleted; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ran_with, "host=prod user=reader password=New_Pw_2");
  manager.shutdown();
  for (const store::JobRecord& record : store.load_all()) EXPECT_EQ(record.request.source_conninfo, "");
}

}  // namespace
}  // namespace pgclone::agent::jobs
