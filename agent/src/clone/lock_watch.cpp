#include "clone/lock_watch.h"

#include <algorithm>
#include <optional>

#include "pg/connection.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

constexpr auto kInterval = std::chrono::milliseconds(250);

// Every lock one of pids waits for, with each session ahead of it. pg_locks
// and pg_blocking_pids() are readable by any role, and cover every database
// of the server (a database_create() clone works in another one).
constexpr const char* kWaits =
    "SELECT w.pid AS waiter, b.pid AS blocker, "
    "  coalesce((SELECT CASE l.locktype "
    "       WHEN 'relation' THEN 'relation ' || CASE WHEN l.database = d.oid "
    "            THEN l.relation::pg_catalog.regclass::text ELSE l.relation::text END "
    "       WHEN 'tuple' THEN 'a row of ' || CASE WHEN l.database = d.oid "
    "            THEN l.relation::pg_catalog.regclass::text ELSE l.relation::text END "
    "       WHEN 'transactionid' THEN 'transaction ' || l.transactionid "
    "       ELSE l.locktype END || ' (' || l.mode || ')' "
    "     FROM pg_catalog.pg_locks l WHERE l.pid = w.pid AND NOT l.granted LIMIT 1), 'a lock') AS lock "
    "FROM pg_catalog.unnest($1::int[]) AS w(pid) "
    "CROSS JOIN LATERAL pg_catalog.unnest(pg_catalog.pg_blocking_pids(w.pid)) AS b(pid) "
    "CROSS JOIN (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) AS d";

std::string pid_array(const std::vector<int>& pids) {
  std::string text = "{";
  for (std::size_t i = 0; i < pids.size(); ++i) text += (i ? "," : "") + std::to_string(pids[i]);
  return text + "}";
}

std::string waiting_phase(const LockWait& wait) {
  return "waiting for lock on " + wait.lock + " (held by pid " + std::to_string(wait.blocker) + ")";
}

}  // namespace

LockVerdict judge_waits(const std::vector<LockWait>& waits, int caller_pid, const std::vector<int>& own_pids) {
  LockVerdict verdict;
  for (const LockWait& wait : waits) {
    if (std::find(own_pids.begin(), own_pids.end(), wait.blocker) != own_pids.end()) continue;
    if (caller_pid > 0 && wait.blocker == caller_pid) return LockVerdict{LockVerdict::Kind::kDeadlock, wait};
    if (verdict.kind == LockVerdict::Kind::kNone) verdict = LockVerdict{LockVerdict::Kind::kWaiting, wait};
  }
  return verdict;
}

protocol::ErrorInfo deadlock_error(std::int64_t job_id, const LockWait& wait) {
  return protocol::ErrorInfo{
      protocol::sqlstate::kDeadlockDetected,
      "pgclone job " + std::to_string(job_id) + " needs a lock the calling transaction holds: " + wait.lock,
      "The clone runs on connections of its own; one of them waited for " + wait.lock +
          ", held by the calling transaction (pid " + std::to_string(wait.blocker) +
          "), which was waiting for the clone. Nothing of the job was kept on the target.",
      "Commit the transaction before calling pgclone, or call the _async form outside it.", ""};
}

protocol::ErrorInfo lock_timeout_error(const LockWait& wait, std::int64_t timeout_ms) {
  return protocol::ErrorInfo{
      protocol::sqlstate::kLockNotAvailable,
      "could not obtain lock on " + wait.lock + " within lock_timeout (" + std::to_string(timeout_ms) + " ms)",
      "It is held by the session with pid " + std::to_string(wait.blocker) +
          ". Nothing of the job was kept on the target.",
      "Run the clone again once that session is done, or raise the \"lock_timeout\" option.", ""};
}

std::int64_t effective_lock_timeout_ms(const jobs::Job& job) {
  const std::optional<std::int64_t>& option = job.options().lock_timeout_ms;
  return option ? *option : job.request().caller_lock_timeout_ms;
}

LockWatch::LockWatch(jobs::Job& job, std::string conninfo, std::int64_t lock_timeout_ms)
    : job_(job), conninfo_(std::move(conninfo)), lock_timeout_ms_(lock_timeout_ms) {
  thread_ = std::thread([this] { run(); });
}

LockWatch::~LockWatch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_changed_.notify_all();
  thread_.join();
}

void LockWatch::run() {
  // Only a synchronous call's caller waits for the job.
  const int caller_pid = job_.request().wait ? job_.owner().backend_pid : 0;
  std::optional<pg::Connection> watcher;
  std::string shown_phase;  // the phase this watch set, to put back the worker's
  std::string saved_phase;
  std::string waited_on;    // waiter/lock of the wait being timed
  auto wait_started = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_changed_.wait_for(lock, kInterval, [this] { return stop_; })) {
    const std::vector<int> pids = job_.target_session_pids();
    if (pids.empty() || job_.stop_requested()) continue;
    lock.unlock();
    std::vector<LockWait> waits;
    try {
      if (!watcher) {
        // The agent's own login in the caller's database: pg_catalog only.
        watcher.emplace(pg::Connection::open(conninfo_, "target", {}, {{"options", "-c search_path=pg_catalog"}}));
      }
      const pg::Result rows = watcher->query(kWaits, {pid_array(pids)});
      for (int i = 0; i < rows.rows(); ++i) {
        waits.push_back(LockWait{static_cast<int>(rows.get_int(i, "waiter")),
                                 static_cast<int>(rows.get_int(i, "blocker")), rows.get(i, "lock")});
      }
    } catch (const std::exception& e) {
      // Watching is a safety net, not part of the clone: note it, retry later.
      log::debug("job ", job_.id(), ": lock watch: ", e.what());
      watcher.reset();
    }
    const LockVerdict verdict = judge_waits(waits, caller_pid, pids);
    if (verdict.kind == LockVerdict::Kind::kDeadlock) {
      log::warn("job ", job_.id(), ": waits for ", verdict.wait.lock, " held by its calling backend ",
                verdict.wait.blocker, "; failing it with 40P01");
      job_.abort(deadlock_error(job_.id(), verdict.wait));
    } else if (verdict.kind == LockVerdict::Kind::kWaiting) {
      const std::string key = std::to_string(verdict.wait.waiter) + " " + verdict.wait.lock;
      if (key != waited_on) {
        waited_on = key;
        wait_started = std::chrono::steady_clock::now();
      }
      const std::string phase = waiting_phase(verdict.wait);
      const std::string current = job_.phase();
      if (current != phase) {
        if (current != shown_phase) saved_phase = current;
        job_.set_phase(phase);
        shown_phase = phase;
      }
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                               wait_started);
      if (lock_timeout_ms_ > 0 && waited.count() >= lock_timeout_ms_) {
        job_.abort(lock_timeout_error(verdict.wait, lock_timeout_ms_));
      }
    } else {
      waited_on.clear();
      if (!shown_phase.empty() && job_.phase() == shown_phase) job_.set_phase(saved_phase);
      shown_phase.clear();
    }
    lock.lock();
  }
}

}  // namespace pgclone::agent::clone
