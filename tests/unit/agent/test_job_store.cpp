// The durable job store: round trips, id allocation, crash recovery (also
// across a real kill -9 of a child process), resume bookkeeping, clear_jobs
// filtering, file permissions, corrupt files, concurrency and load speed.
#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "store/job_store.h"

namespace pgclone::agent::store {
namespace {

using testing::TempDir;

// A principal of server "db1", database 16384; the role OID follows the name.
jobs::JobOwner owner_named(const std::string& role, bool superuser = false) {
  jobs::JobOwner owner;
  owner.server = "db1";
  owner.database_oid = 16384;
  owner.database = "app";
  owner.role = role;
  owner.role_oid = role == "alice" ? 20001 : role == "bob" ? 20002 : 20003;
  owner.is_superuser = superuser;
  return owner;
}

JobRecord make_job(std::int64_t id, const std::string& owner, const std::string& status = "pending") {
  JobRecord job;
  job.id = id;
  job.owner = owner_named(owner);
  job.status = status;
  job.request.operation = "schema";
  job.request.source_conninfo = "host=src dbname=app user=u password=s3cret";
  job.request.schema = "public";
  job.created_ms = 1700000000000 + id;
  return job;
}

int file_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

TEST(JobStore, RoundTripsAFullRecord) {
  TempDir dir;
  JobRecord job;
  job.id = 7;
  job.owner = owner_named("alice", true);
  job.owner.server = "db-2";
  job.request.operation = "database_create";
  job.request.source_conninfo = "host=a port=5433 dbname=src user=x password='p w\\'d'";
  job.request.caller = {"app", std::string(64, 'f')};
  job.request.schema = "sales";
  job.request.table = "orders";
  job.request.target_table = "orders_copy";
  job.request.include_data = false;
  job.request.options_json = R"({"parallel": 4, "masks": {"email": "hash"}})";
  job.request.wait = false;
  job.request.target_database = "newdb";
  job.status = "failed";
  job.phase = "data";
  job.current_table = "sales.orders";
  job.tables_total = 10;
  job.tables_completed = 3;
  job.rows_copied = 123456789012;
  job.bytes_copied = 987654321098;
  job.bytes_total = 999999999999;
  job.created_ms = 1700000000001;
  job.started_ms = 1700000000002;
  job.finished_ms = 1700000000003;
  job.result_text = "partial";
  job.error = {"23505", "duplicate key value", "Key (id)=(1) exists.", "Use conflict.", "table sales.orders"};
  job.resumed_from = 5;
  {
    JobStore store(dir.path());
    store.insert(job);
  }
  JobStore store(dir.path());  // a fresh connection reads what was committed
  const std::vector<JobRecord> jobs = store.load_all();
  ASSERT_EQ(jobs.size(), 1u);
  const JobRecord& got = jobs[0];
  EXPECT_EQ(got.id, 7);
  EXPECT_EQ(got.owner.role, "alice");
  EXPECT_EQ(got.owner.server, "db-2");
  EXPECT_EQ(got.owner.database, "app");
  EXPECT_EQ(got.owner.database_oid, 16384);
  EXPECT_EQ(got.owner.role_oid, 20001);
  EXPECT_TRUE(got.owner.is_superuser);
  EXPECT_EQ(got.request.operation, job.request.operation);
  EXPECT_EQ(got.request.source_conninfo, job.request.source_conninfo);
  EXPECT_EQ(got.request.caller.database, "app");
  EXPECT_EQ(got.request.schema, "sales");
  EXPECT_EQ(got.request.table, "orders");
  EXPECT_EQ(got.request.target_table, "orders_copy");
  EXPECT_FALSE(got.request.include_data);
  EXPECT_EQ(got.request.options_json, job.request.options_json);
  EXPECT_FALSE(got.request.wait);
  EXPECT_EQ(got.request.target_database, "newdb");
  EXPECT_EQ(got.status, "failed");
  EXPECT_EQ(got.phase, "data");
  EXPECT_EQ(got.current_table, "sales.orders");
  EXPECT_EQ(got.tables_total, 10);
  EXPECT_EQ(got.tables_completed, 3);
  EXPECT_EQ(got.rows_copied, 123456789012);
  EXPECT_EQ(got.bytes_copied, 987654321098);
  EXPECT_EQ(got.bytes_total, 999999999999);
  EXPECT_EQ(got.created_ms, 1700000000001);
  EXPECT_EQ(got.started_ms, 1700000000002);
  EXPECT_EQ(got.finished_ms, 1700000000003);
  EXPECT_EQ(got.result_text, "partial");
  EXPECT_EQ(got.error.sqlstate, "23505");
  EXPECT_EQ(got.error.message, "duplicate key value");
  EXPECT_EQ(got.error.detail, "Key (id)=(1) exists.");
  EXPECT_EQ(got.error.hint, "Use conflict.");
  EXPECT_EQ(got.error.context, "table sales.orders");
  EXPECT_EQ(got.resumed_from, 5);
}

TEST(JobStore, ProgressAndStatusUpdates) {
  TempDir dir;
  JobStore store(dir.path());
  store.insert(make_job(1, "alice"));
  store.update_status(1, "running", 1000, 0, "", {});
  protocol::JobProgress progress;
  progress.job_id = 999;     // ignored: the id argument counts
  progress.status = "bogus";  // ignored: status only changes through update_status
  progress.phase = "data";
  progress.current_table = "public.t";
  progress.tables_total = 4;
  progress.tables_completed = 2;
  progress.rows_copied = 500;
  progress.bytes_copied = 4096;
  store.update_progress(1, progress, 8192);
  store.update_progress(42, progress, 1);  // unknown job: ignored
  store.update_status(1, "completed", 0, 2000, "done", {});

  JobRecord got = store.load_all().at(0);
  EXPECT_EQ(got.status, "completed");
  EXPECT_EQ(got.started_ms, 1000);  // 0 kept the stored value
  EXPECT_EQ(got.finished_ms, 2000);
  EXPECT_EQ(got.result_text, "done");
  EXPECT_EQ(got.phase, "data");
  EXPECT_EQ(got.current_table, "public.t");
  EXPECT_EQ(got.tables_total, 4);
  EXPECT_EQ(got.tables_completed, 2);
  EXPECT_EQ(got.rows_copied, 500);
  EXPECT_EQ(got.bytes_copied, 4096);
  EXPECT_EQ(got.bytes_total, 8192);

  EXPECT_THROW(store.update_status(1, "finished", 0, 0, "", {}), StoreError);  // unknown status
  EXPECT_THROW(store.update_status(42, "failed", 0, 0, "", {}), StoreError);   // unknown job
  EXPECT_THROW(store.insert(make_job(1, "bob")), StoreError);                  // duplicate id
  EXPECT_THROW(store.insert(make_job(0, "bob")), StoreError);                  // no id
  EXPECT_THROW(store.insert(make_job(2, "bob", "weird")), StoreError);
  EXPECT_EQ(store.load_all().size(), 1u);
}

TEST(JobStore, IdsAreMonotonicAcrossReopenAndClear) {
  TempDir dir;
  {
    JobStore store(dir.path());
    EXPECT_EQ(store.next_job_id(), 1);
    EXPECT_EQ(store.next_job_id(), 2);  // each call reserves an id
    store.insert(make_job(2, "alice", "completed"));
    store.insert(make_job(10, "alice", "completed"));  // an explicit id moves the sequence on
    EXPECT_EQ(store.next_job_id(), 11);
  }
  {
    JobStore store(dir.path());
    EXPECT_EQ(store.next_job_id(), 12);
    EXPECT_EQ(store.delete_finished(owner_named("postgres", true)), 2);
    EXPECT_TRUE(store.load_all().empty());
    EXPECT_EQ(store.next_job_id(), 13);  // never reused after clear
  }
  JobStore store(dir.path());
  EXPECT_EQ(store.next_job_id(), 14);
}

TEST(JobStore, MarkInterruptedAfterACrash) {
  TempDir dir;
  {
    JobStore store(dir.path());
    store.insert(make_job(1, "a", "completed"));
    store.insert(make_job(2, "a", "running"));
    store.insert(make_job(3, "a", "pending"));
    store.insert(make_job(4, "a", "failed"));
    store.insert(make_job(5, "a", "cancelled"));
    store.insert(make_job(6, "a", "interrupted"));
  }  // "crash": closed without finishing jobs 2 and 3
  JobStore store(dir.path());
  const auto before = std::chrono::system_clock::now();
  EXPECT_EQ(store.mark_interrupted(), 2);
  EXPECT_EQ(store.mark_interrupted(), 0);
  const std::vector<JobRecord> jobs = store.load_all();
  ASSERT_EQ(jobs.size(), 6u);
  const std::vector<std::string> expected = {"completed", "interrupted", "interrupted",
                                             "failed",    "cancelled",   "interrupted"};
  const std::int64_t before_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].id, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(jobs[i].status, expected[i]) << "job " << jobs[i].id;
  }
  EXPECT_GE(jobs[1].finished_ms, before_ms);
  EXPECT_GE(jobs[2].finished_ms, before_ms);
  EXPECT_EQ(jobs[0].finished_ms, 0);  // untouched
}

TEST(JobStore, TasksCheckpointsAndInheritProgress) {
  TempDir dir;
  JobStore store(dir.path());
  store.insert(make_job(1, "a", "running"));
  store.insert(make_job(2, "a", "running"));
  store.record_checkpoint(1, "pre_data");
  store.record_checkpoint(1, "pre_data");  // twice is harmless
  store.record_task_done(1, "table:public.orders", 100, 8192);
  store.record_task_done(1, "table:public.items", 5, 10);
  store.record_task_done(1, "table:public.items", 6, 11);  // overwrite
  store.record_task_done(2, "table:public.other", 1, 1);
  EXPECT_EQ(store.done_tasks(1), (std::set<std::string>{"table:public.items", "table:public.orders"}));
  EXPECT_EQ(store.checkpoints(1), (std::set<std::string>{"pre_data"}));
  EXPECT_TRUE(store.checkpoints(2).empty());
  EXPECT_THROW(store.record_task_done(99, "table:x", 0, 0), StoreError);  // no such job
  EXPECT_THROW(store.record_checkpoint(99, "pre_data"), StoreError);

  store.update_status(1, "interrupted", 0, 5, "", {});
  JobRecord resumed = make_job(3, "a", "pending");
  resumed.resumed_from = 1;
  store.insert(resumed);
  store.inherit_progress(1, 3);
  store.record_task_done(3, "table:public.new", 1, 1);
  EXPECT_EQ(store.done_tasks(3),
            (std::set<std::string>{"table:public.items", "table:public.new", "table:public.orders"}));
  EXPECT_EQ(store.checkpoints(3), (std::set<std::string>{"pre_data"}));
  store.inherit_progress(1, 3);  // idempotent
  EXPECT_EQ(store.done_tasks(3).size(), 3u);
  EXPECT_EQ(store.done_tasks(1).size(), 2u);  // the source keeps its own
  EXPECT_THROW(store.inherit_progress(1, 77), StoreError);
  EXPECT_THROW(store.inherit_progress(77, 3), StoreError);
  EXPECT_EQ(store.load_all().at(2).resumed_from, 1);

  store.forget_progress(3);  // a failed job rolled the target back: start over
  EXPECT_TRUE(store.done_tasks(3).empty());
  EXPECT_TRUE(store.checkpoints(3).empty());
  EXPECT_EQ(store.done_tasks(1).size(), 2u);  // other jobs keep theirs
  EXPECT_EQ(store.load_all().size(), 3u);     // the job itself stays
}

TEST(JobStore, DeleteFinishedFiltersByOwnerAndStatus) {
  TempDir dir;
  JobStore store(dir.path());
  int id = 0;
  for (const char* owner : {"alice", "bob"}) {
    for (const char* status : {"pending", "running", "completed", "failed", "cancelled", "interrupted"}) {
      store.insert(make_job(++id, owner, status));
      store.record_task_done(id, "table:public.t", 1, 1);
      store.record_checkpoint(id, "pre_data");
    }
  }
  EXPECT_EQ(store.delete_finished(owner_named("alice")), 3);
  std::vector<JobRecord> jobs = store.load_all();
  ASSERT_EQ(jobs.size(), 9u);
  for (const JobRecord& job : jobs) {
    if (job.owner.role == "alice") {
      EXPECT_TRUE(job.status == "pending" || job.status == "running" || job.status == "interrupted")
          << job.status;
    }
  }
  EXPECT_TRUE(store.done_tasks(3).empty());  // alice's completed job: tasks went too
  EXPECT_TRUE(store.checkpoints(3).empty());
  EXPECT_EQ(store.done_tasks(9).size(), 1u);  // bob's completed job untouched
  EXPECT_EQ(store.delete_finished(owner_named("nobody")), 0);
  jobs::JobOwner other_server = owner_named("postgres", true);
  other_server.server = "db2";
  EXPECT_EQ(store.delete_finished(other_server), 0);  // a superuser of another server
  EXPECT_EQ(store.delete_finished(owner_named("postgres", true)), 3);  // bob's three
  jobs = store.load_all();
  ASSERT_EQ(jobs.size(), 6u);
  for (const JobRecord& job : jobs) {
    EXPECT_TRUE(job.status == "pending" || job.status == "running" || job.status == "interrupted");
  }
  // Nothing orphaned: every remaining task belongs to a remaining job.
  std::size_t tasks = 0;
  for (const JobRecord& job : jobs) tasks += store.done_tasks(job.id).size();
  EXPECT_EQ(tasks, 6u);
}

TEST(JobStore, DeleteFinishedTakesResumedInterruptedJobs) {
  TempDir dir;
  JobStore store(dir.path());
  store.insert(make_job(1, "alice", "interrupted"));  // resumed by 2: lives on in it
  JobRecord resumer = make_job(2, "alice", "running");
  resumer.resumed_from = 1;
  store.insert(resumer);
  store.insert(make_job(3, "alice", "interrupted"));  // nobody resumed it: kept
  EXPECT_EQ(store.delete_finished(owner_named("alice")), 1);
  std::vector<std::int64_t> left;
  for (const JobRecord& job : store.load_all()) left.push_back(job.id);
  EXPECT_EQ(left, (std::vector<std::int64_t>{2, 3}));
}

TEST(JobStore, FilesAreOwnerOnly) {
  TempDir dir;
  const mode_t old_umask = ::umask(0);  // the loosest umask: the mode must not depend on it
  {
    JobStore store(dir.path());
    store.insert(make_job(1, "a"));
    EXPECT_EQ(file_mode(dir.file("jobs.db")), 0600);
    EXPECT_EQ(file_mode(dir.file("jobs.db-wal")), 0600);
    EXPECT_EQ(file_mode(dir.file("jobs.db-shm")), 0600);
  }
  ::chmod(dir.file("jobs.db").c_str(), 0644);  // loosened by hand: reopening tightens it
  {
    JobStore store(dir.path());
    EXPECT_EQ(file_mode(dir.file("jobs.db")), 0600);
    EXPECT_EQ(store.load_all().size(), 1u);
  }
  ::umask(old_umask);
}

TEST(JobStore, CorruptFileGivesAClearError) {
  TempDir dir;
  const std::string path = dir.file("jobs.db");
  {
    std::ofstream out(path);
    for (int i = 0; i < 200; ++i) out << "this is not an sqlite database, just text\n";
  }
  try {
    JobStore store(dir.path());
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    std::printf("corrupt file message: %s\n", what.c_str());
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find("not a database"), std::string::npos) << what;
    EXPECT_NE(what.find("job store"), std::string::npos) << what;
  }
  // A missing state directory also names the file.
  try {
    JobStore store(dir.file("missing"));
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.file("missing/jobs.db")), std::string::npos) << e.what();
  }
}

TEST(JobStore, RefusesASchemaFromANewerAgent) {
  TempDir dir;
  { JobStore store(dir.path()); }
  {
    Database db(dir.file("jobs.db"), SQLITE_OPEN_READWRITE);
    Statement version = db.prepare("SELECT version FROM schema_version");
    ASSERT_TRUE(version.step());
    EXPECT_EQ(version.column_int64(0), 2);
    version = Statement();
    db.exec("UPDATE schema_version SET version = 99");
  }
  try {
    JobStore store(dir.path());
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST(JobStore, ConcurrentUpdatesFromEightThreads) {
  TempDir dir;
  JobStore store(dir.path());
  constexpr int kThreads = 8;
  constexpr int kRounds = 200;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        // Each thread owns two jobs and hammers them, interleaved with the others.
        for (int j = 0; j < 2; ++j) {
          const std::int64_t id = store.next_job_id();
          ids[t].push_back(id);
          store.insert(make_job(id, "owner" + std::to_string(t), "running"));
        }
        for (int r = 1; r <= kRounds; ++r) {
          for (std::int64_t id : ids[t]) {
            protocol::JobProgress p;
            p.phase = "data";
            p.current_table = "t" + std::to_string(r);
            p.rows_copied = r;
            p.bytes_copied = r * 10;
            store.update_progress(id, p, 1000);
            if (r % 20 == 0) store.record_task_done(id, "table:t" + std::to_string(r), r, r);
            if (r % 50 == 0) store.load_all();
          }
        }
        store.update_status(ids[t][0], "completed", 1, 2, "ok", {});
      } catch (const std::exception& e) {
        std::fprintf(stderr, "thread %d: %s\n", t, e.what());
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);

  const std::vector<JobRecord> jobs = store.load_all();
  ASSERT_EQ(jobs.size(), static_cast<std::size_t>(kThreads * 2));
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].id, static_cast<std::int64_t>(i + 1));  // unique, dense ids
    EXPECT_EQ(jobs[i].rows_copied, kRounds);
    EXPECT_EQ(jobs[i].bytes_copied, kRounds * 10);
    EXPECT_EQ(jobs[i].current_table, "t" + std::to_string(kRounds));
    EXPECT_EQ(store.done_tasks(jobs[i].id).size(), static_cast<std::size_t>(kRounds / 20));
  }
  int completed = 0;
  for (const JobRecord& job : jobs) completed += job.status == "completed";
  EXPECT_EQ(completed, kThreads);
  Database check(dir.file("jobs.db"), SQLITE_OPEN_READONLY);
  Statement integrity = check.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(integrity.step());
  EXPECT_EQ(integrity.column_text(0), "ok");
}

// Runs `child` in a forked process that reports each finished write on a
// pipe; returns the last write number the parent saw before `stop` ends it.
enum class Death { kExit, kSigkill };

std::int64_t run_child_writer(const std::string& state_dir, Death death, int stop_after) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    try {
      JobStore store(state_dir);
      store.insert(make_job(1, "alice", "running"));
      for (std::int64_t i = 1;; ++i) {
        protocol::JobProgress p;
        p.phase = "data";
        p.rows_copied = i;
        store.update_progress(1, p, 0);
        store.record_task_done(1, "table:t" + std::to_string(i), i, i);
        // The write returned: tell the parent, then keep writing until killed.
        if (::write(fds[1], &i, sizeof i) != sizeof i) ::_exit(3);
        if (death == Death::kExit && i == stop_after) ::_exit(0);  // no destructors, no close
      }
    } catch (...) {
      ::_exit(2);
    }
  }
  ::close(fds[1]);
  std::int64_t last = 0;
  std::int64_t got = 0;
  while (::read(fds[0], &got, sizeof got) == sizeof got) {
    last = got;
    if (death == Death::kSigkill && last == stop_after) {
      ::kill(pid, SIGKILL);  // right after the acknowledged write, mid-stream
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (death == Death::kSigkill) {
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  } else {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  return last;
}

void expect_writes_survived(const std::string& state_dir, std::int64_t acknowledged) {
  JobStore store(state_dir);
  std::vector<JobRecord> jobs = store.load_all();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].status, "running");
  EXPECT_GE(jobs[0].rows_copied, acknowledged);  // the child may have written a bit more
  const std::set<std::string> tasks = store.done_tasks(1);
  for (std::int64_t i = 1; i <= acknowledged; ++i) {
    EXPECT_EQ(tasks.count("table:t" + std::to_string(i)), 1u) << i;
  }
  EXPECT_EQ(store.mark_interrupted(), 1);
  EXPECT_EQ(store.load_all().at(0).status, "interrupted");
}

TEST(JobStore, SurvivesProcessExitWithoutCleanup) {
  TempDir dir;
  const std::int64_t acknowledged = run_child_writer(dir.path(), Death::kExit, 25);
  EXPECT_EQ(acknowledged, 25);
  expect_writes_survived(dir.path(), acknowledged);
}

TEST(JobStore, SurvivesSigkillRightAfterAWrite) {
  TempDir dir;
  const std::int64_t acknowledged = run_child_writer(dir.path(), Death::kSigkill, 300);
  EXPECT_EQ(acknowledged, 300);
  expect_writes_survived(dir.path(), acknowledged);
}

TEST(JobStore, LoadsAThousandJobsQuickly) {
  TempDir dir;
  JobStore store(dir.path());
  for (int i = 1; i <= 1000; ++i) {
    JobRecord job = make_job(i, "owner" + std::to_string(i % 7), i % 3 ? "completed" : "failed");
    job.request.options_json = R"({"parallel": 4, "tables": ["a", "b", "c"]})";
    job.error.message = "something went wrong in table " + std::to_string(i);
    store.insert(job);
  }
  store.load_all();  // warm the page cache like a running agent would be
  const auto start = std::chrono::steady_clock::now();
  const std::vector<JobRecord> jobs = store.load_all();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("load_all() of %zu jobs: %.2f ms\n", jobs.size(), ms);
  ASSERT_EQ(jobs.size(), 1000u);
  EXPECT_EQ(jobs.back().id, 1000);
  EXPECT_LT(ms, 200.0);

  // A cold open (agent start) + load is measured too, for information.
  const auto cold_start = std::chrono::steady_clock::now();
  JobStore reopened(dir.path());
  const std::size_t count = reopened.load_all().size();
  const double cold_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - cold_start).count();
  std::printf("open + load_all() of %zu jobs: %.2f ms\n", count, cold_ms);
  EXPECT_LT(cold_ms, 500.0);
}

}  // namespace
}  // namespace pgclone::agent::store
