#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "jobs/job_manager.h"
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

protocol::CloneRequest request_by(const std::string& role) {
  protocol::CloneRequest request;
  request.operation = protocol::kOpTable;
  request.caller = protocol::Caller{role, role, false};
  request.schema = "public";
  request.table = "t";
  return request;
}

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
  auto job = manager.submit(request_by("alice"), {}, Waiter{"id-1", 77});
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
  const auto a = manager.submit(request_by("alice"), {}, std::nullopt)->id();
  const auto b = manager.submit(request_by("alice"), {}, std::nullopt)->id();
  EXPECT_LT(a, b);
}

TEST(JobManager, ARunnerExceptionBecomesAFailedJob) {
  Mailbox mailbox;
  JobManager manager(1, [](Job&) -> RunOutcome { throw std::runtime_error("boom"); }, to(mailbox));
  manager.submit(request_by("alice"), {}, Waiter{"w", 1});
  const protocol::JobFinished finished = mailbox.wait_finished();
  EXPECT_EQ(finished.status, "failed");
  EXPECT_EQ(finished.error.sqlstate, "XX000");
  EXPECT_NE(finished.error.message.find("boom"), std::string::npos);
}

TEST(JobManager, CancelStopsARunningJob) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(request_by("alice"), {}, Waiter{"w", 1});
  while (job->status() != JobStatus::kRunning) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(manager.cancel(job->id(), protocol::Caller{"alice", "alice", false}),
            CancelResult::kCancelRequested);
  EXPECT_EQ(mailbox.wait_finished().status, "cancelled");
  EXPECT_EQ(manager.cancel(job->id(), protocol::Caller{"alice", "alice", false}),
            CancelResult::kAlreadyFinished);
}

TEST(JobManager, CancelByTheRequestThatStartedTheJob) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  manager.submit(request_by("alice"), {}, Waiter{"backend-7", 31});
  const protocol::Caller alice{"alice", "alice", false};
  EXPECT_EQ(manager.cancel_for_waiter(Waiter{"backend-7", 30}, alice), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel_for_waiter(Waiter{"backend-8", 31}, alice), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel_for_waiter(Waiter{"backend-7", 31}, protocol::Caller{"eve", "eve", false}),
            CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel_for_waiter(Waiter{"backend-7", 31}, alice), CancelResult::kCancelRequested);
  EXPECT_EQ(mailbox.wait_finished().status, "cancelled");
}

TEST(JobManager, OtherRolesCannotSeeOrCancelAJob) {
  Mailbox mailbox;
  JobManager manager(1, block_until_stopped, to(mailbox));
  auto job = manager.submit(request_by("alice"), {}, Waiter{"w", 1});
  EXPECT_EQ(manager.cancel(job->id(), protocol::Caller{"mallory", "mallory", false}), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel(job->id() + 100, protocol::Caller{"alice", "alice", false}), CancelResult::kNotFound);
  EXPECT_EQ(manager.cancel(job->id(), protocol::Caller{"postgres", "postgres", true}),
            CancelResult::kCancelRequested);
  mailbox.wait_finished();
}

TEST(JobManager, InterruptersRunOnStopAndLateRegistrationsFireAtOnce) {
  Job job(1, request_by("alice"), {});
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
  auto job = manager.submit(request_by("alice"), {}, Waiter{"w", 1});
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
  auto running = manager.submit(request_by("alice"), {}, Waiter{"running", 1});
  while (running->status() != JobStatus::kRunning) std::this_thread::sleep_for(1ms);
  auto queued = manager.submit(request_by("alice"), {}, Waiter{"queued", 2});
  manager.shutdown();
  const protocol::JobFinished a = running_box.wait_finished();
  const protocol::JobFinished b = queued_box.wait_finished();
  EXPECT_EQ(a.status, "cancelled");
  EXPECT_EQ(a.error.sqlstate, "57P01");
  EXPECT_EQ(b.status, "cancelled");
  EXPECT_EQ(b.error.sqlstate, "57P01");
  // After shutdown, new jobs are refused the same way.
  Mailbox late;
  auto refused = manager.submit(request_by("alice"), {}, std::nullopt);
  EXPECT_EQ(refused->status(), JobStatus::kCancelled);
  (void)first;
}

}  // namespace
}  // namespace pgclone::agent::jobs
