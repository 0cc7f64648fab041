// Local jobs (mask_in_place): recorded by the agent, run by the owner's own
// backend, which reports their end.
#include <gtest/gtest.h>

#include "jobs/job_manager.h"
#include "store/job_store.h"
#include "temp_dir.h"

namespace pgclone::agent::jobs {
namespace {

JobOwner backend_owner(const std::string& role, int backend_pid, bool superuser = false) {
  JobOwner o;
  o.server = "db1";
  o.database_oid = 16384;
  o.database = "app";
  o.role = role;
  o.role_oid = role == "alice" ? 10 : 11;
  o.is_superuser = superuser;
  o.backend_pid = backend_pid;
  return o;
}

protocol::LocalJobStart mask_start(const std::string& table = "people") {
  protocol::LocalJobStart start;
  start.operation = protocol::kOpMaskInPlace;
  start.schema = "public";
  start.table = table;
  start.phase = "rewriting table";
  return start;
}

protocol::LocalJobEnd end_of(std::int64_t job_id, const std::string& status, std::int64_t rows = 0,
                             protocol::ErrorInfo error = {}) {
  protocol::LocalJobEnd end;
  end.job_id = job_id;
  end.status = status;
  end.rows = rows;
  end.result_text = status == "completed" ? "OK: masked 3 rows in public.people (1 columns)" : "";
  end.error = std::move(error);
  return end;
}

// A runner that must never be called: local jobs are not run by the agent.
JobManager::Runner never_run() {
  return [](Job&) -> RunOutcome {
    ADD_FAILURE() << "a local job was run by a worker";
    return RunOutcome{};
  };
}

JobManager::Notifier no_waiters() {
  return [](const Waiter&, protocol::MessageKind, std::string) {};
}

const JobOwner kAlice = backend_owner("alice", 4242);

TEST(LocalJobs, RegisteredAsRunningAndListedWithItsOperation) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  EXPECT_TRUE(job->local());
  const auto listed = manager.list(kAlice, job->id());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].status, "running");
  EXPECT_EQ(listed[0].op_type, "mask_in_place");
  EXPECT_EQ(listed[0].schema_name, "public");
  EXPECT_EQ(listed[0].table_name, "people");
  EXPECT_EQ(listed[0].phase, "rewriting table");
  EXPECT_NE(listed[0].start_ms, 0);
  EXPECT_EQ(manager.counts().by_status["running"], 1);
}

TEST(LocalJobs, CompletedByTheRegisteringConnectionWithItsRowCount) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  const protocol::JobFinished finished = manager.finish_local(end_of(job->id(), "completed", 3), "conn-a");
  EXPECT_EQ(finished.status, "completed");
  EXPECT_EQ(finished.result_text, "OK: masked 3 rows in public.people (1 columns)");
  const auto listed = manager.list(kAlice, job->id());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].status, "completed");
  EXPECT_EQ(listed[0].rows_copied, 3);
  EXPECT_NE(listed[0].end_ms, 0);
}

TEST(LocalJobs, AnotherConnectionCannotReportTheEnd) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  try {
    manager.finish_local(end_of(job->id(), "completed", 3), "conn-b");
    ADD_FAILURE() << "another connection ended the job";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "42704");
  }
  EXPECT_EQ(job->status(), JobStatus::kRunning);
}

TEST(LocalJobs, OnlyFinalStatusesEndIt) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  EXPECT_THROW(manager.finish_local(end_of(job->id(), "interrupted"), "conn-a"), JobRequestError);
  EXPECT_THROW(manager.finish_local(end_of(job->id(), "running"), "conn-a"), JobRequestError);
  EXPECT_EQ(job->status(), JobStatus::kRunning);
}

// The caller's statement may fail after the rewrite reported completed (a
// cancel arriving just then): the failure is the truth.
TEST(LocalJobs, ACompletedJobMayStillFailButAFailedOneStaysFailed) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  manager.finish_local(end_of(job->id(), "completed", 3), "conn-a");
  const protocol::ErrorInfo cancelled{"57014", "canceling statement due to user request", "", "", ""};
  EXPECT_EQ(manager.finish_local(end_of(job->id(), "cancelled", 0, cancelled), "conn-a").status, "cancelled");
  EXPECT_EQ(manager.finish_local(end_of(job->id(), "completed", 3), "conn-a").status, "cancelled");
  const auto listed = manager.list(kAlice, job->id());
  EXPECT_EQ(listed[0].error_sqlstate, "57014");
  EXPECT_EQ(listed[0].rows_copied, 3);  // a failure report carries no rows
}

TEST(LocalJobs, CancelNamesTheBackendInsteadOfStoppingAnything) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  LocalBackend local;
  EXPECT_EQ(manager.cancel(job->id(), kAlice, &local), CancelResult::kLocalBackend);
  EXPECT_EQ(local.backend_pid, 4242);
  EXPECT_EQ(local.database_oid, 16384);
  EXPECT_EQ(local.database, "app");
  EXPECT_EQ(local.schema, "public");
  EXPECT_EQ(local.table, "people");
  EXPECT_EQ(job->status(), JobStatus::kRunning);  // until its backend reports
  // Other roles do not see it; a superuser of the server does.
  EXPECT_EQ(manager.cancel(job->id(), backend_owner("bob", 77), &local), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel(job->id(), backend_owner("root", 78, true), &local), CancelResult::kLocalBackend);
  manager.finish_local(end_of(job->id(), "completed", 3), "conn-a");
  EXPECT_EQ(manager.cancel(job->id(), kAlice, &local), CancelResult::kAlreadyFinished);
}

TEST(LocalJobs, NeverResumed) {
  JobManager manager(1, never_run(), no_waiters());
  const auto job = manager.register_local(mask_start(), kAlice, "conn-a");
  const protocol::ErrorInfo failed{"22023", "cannot mask", "", "", ""};
  manager.finish_local(end_of(job->id(), "failed", 0, failed), "conn-a");
  try {
    manager.resume(job->id(), kAlice, "conn-a");
    ADD_FAILURE() << "a local job was resumed";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "55000");
    EXPECT_NE(std::string(e.what()).find("cannot be resumed"), std::string::npos) << e.what();
    EXPECT_NE(e.hint.find("mask_in_place again"), std::string::npos) << e.hint;
  }
}

TEST(LocalJobs, ClearForgetsFinishedOnesButNotRunningOnes) {
  JobManager manager(1, never_run(), no_waiters());
  const auto done = manager.register_local(mask_start("a"), kAlice, "conn-a");
  manager.finish_local(end_of(done->id(), "completed", 1), "conn-a");
  const auto running = manager.register_local(mask_start("b"), backend_owner("alice", 4243), "conn-b");
  EXPECT_EQ(manager.clear(kAlice), 1);
  EXPECT_TRUE(manager.list(kAlice, done->id()).empty());
  EXPECT_EQ(manager.list(kAlice, running->id()).size(), 1u);
}

// A backend runs one statement at a time: a new registration from its pid
// means the earlier job's backend is gone (killed, and the pid reused).
TEST(LocalJobs, ANewJobOfTheSameBackendFailsItsUnreportedPredecessor) {
  JobManager manager(1, never_run(), no_waiters());
  const auto old = manager.register_local(mask_start("a"), kAlice, "conn-a");
  const auto other_backend = manager.register_local(mask_start("c"), backend_owner("alice", 9999), "conn-c");
  const auto next = manager.register_local(mask_start("b"), kAlice, "conn-b");
  EXPECT_EQ(old->status(), JobStatus::kFailed);
  EXPECT_EQ(manager.list(kAlice, old->id())[0].error_sqlstate, "08006");
  EXPECT_EQ(other_backend->status(), JobStatus::kRunning);
  EXPECT_EQ(next->status(), JobStatus::kRunning);
}

// They cost the agent nothing: they do not count against a role's quota.
TEST(LocalJobs, DoNotCountAgainstTheRolesQuota) {
  JobLimits limits;
  limits.max_active_per_role = 1;
  JobManager manager(1, never_run(), no_waiters(), nullptr, {}, limits);
  manager.register_local(mask_start("a"), kAlice, "conn-a");
  manager.register_local(mask_start("b"), backend_owner("alice", 4243), "conn-b");
  EXPECT_EQ(manager.counts().by_status["running"], 2);
}

TEST(LocalJobs, StoredAndShownInterruptedAfterAnAgentRestart) {
  testing::TempDir dir;
  std::int64_t running_id = 0;
  std::int64_t done_id = 0;
  {
    store::JobStore store(dir.path());
    JobManager manager(1, never_run(), no_waiters(), &store);
    done_id = manager.register_local(mask_start("a"), kAlice, "conn-a")->id();
    manager.finish_local(end_of(done_id, "completed", 5), "conn-a");
    running_id = manager.register_local(mask_start("b"), backend_owner("alice", 4243), "conn-b")->id();
  }
  store::JobStore store(dir.path());
  JobManager manager(1, never_run(), no_waiters(), &store);
  const auto done = manager.list(kAlice, done_id);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].status, "completed");
  EXPECT_EQ(done[0].op_type, "mask_in_place");
  EXPECT_EQ(done[0].rows_copied, 5);
  const auto running = manager.list(kAlice, running_id);
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].status, "interrupted");
  // Its backend's late report finds no job it registered (another agent run).
  EXPECT_THROW(manager.finish_local(end_of(running_id, "completed", 5), "conn-b"), JobRequestError);
  EXPECT_THROW(manager.resume(running_id, kAlice, "conn-b"), JobRequestError);
  EXPECT_EQ(manager.resume_interrupted(), 0);
}

TEST(LocalJobs, OnlyMaskInPlaceIsALocalOperation) {
  JobManager manager(1, never_run(), no_waiters());
  protocol::LocalJobStart start = mask_start();
  start.operation = protocol::kOpTable;
  try {
    manager.register_local(start, kAlice, "conn-a");
    ADD_FAILURE() << "a table clone was registered as a local job";
  } catch (const JobRequestError& e) {
    EXPECT_EQ(e.sqlstate, "0A000");
  }
}

}  // namespace
}  // namespace pgclone::agent::jobs
