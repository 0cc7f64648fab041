#include "clone/table_loader.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cluster/remote_run.h"
#include "cluster/remote_task.h"
#include "cluster/worker_hub.h"
#include "clone/job_session.h"
#include "clone/load_queue.h"
#include "clone/sibling_group.h"
#include "clone/snapshot.h"
#include "clone/table_load_task.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

// Where one loading lane's tables go: to a free slot of a worker agent when
// the coordinator has them (cluster/worker_hub.h), else here, on sessions
// the lane opens when it first needs them.
class Lane {
 public:
  Lane(jobs::Job& job, LoadQueue& queue, const LoadSettings& settings, bool first)
      : job_(job), queue_(queue), settings_(settings), first_(first) {}

  void load(const plan::TableTask& task) {
    const auto& steps = queue_.steps_of(task.id);
    const bool resumed = job_.resumed_from() != 0;
    bool redone = false;
    // Workers read the keeper's snapshot; keyed masks need this agent's key.
    if (!settings_.snapshot_id.empty() && !job_.options().masked()) {
      const auto stopped = [this] { return job_.stop_requested() || queue_.group().failed(); };
      const auto assignment = [&](bool redo) {
        return cluster::load_table_assignment(job_, task, steps, settings_.snapshot_id, settings_.include_data,
                                              resumed || redo);
      };
      if (const auto done = cluster::run_remotely(job_, assignment, settings_.target_conninfo, stopped, &redone)) {
        const protocol::TaskResult& result = done->result;
        job_.journal().mark_task_done(task.id, result.rows, result.bytes);
        job_.record_table_host(task.target_qualified, done->worker);
        for (const protocol::Notice& n : result.notices) job_.add_notice(n.level, n.message, n.detail);
        return;
      }
    }
    load_here(task, steps, resumed || redone);
  }

 private:
  void load_here(const plan::TableTask& task, const std::vector<const plan::Step*>& steps, bool redo) {
    open_sessions();
    load_table(job_, TableLoadInput{task, steps, settings_.include_data, redo, queue_.all_created()}, source_,
               *target_, [&](const TableLoadOutcome& outcome) {
                 job_.journal().mark_task_done(task.id, outcome.rows, outcome.bytes);
               });
    if (cluster::worker_hub() != nullptr) job_.record_table_host(task.target_qualified, cluster::local_host_name());
  }

  void open_sessions() {
    if (target_) return;
    if (settings_.include_data && first_ && settings_.snapshot_session) {
      source_ = settings_.snapshot_session;
    } else if (settings_.include_data) {
      source_ = &own_source_.emplace(open_worker_source(settings_.source_conninfo, settings_.snapshot_id, job_));
    }
    if (source_) source_guard_.emplace(job_, queue_.group(), *source_);
    target_.emplace(open_target(settings_.target_conninfo, job_));
    target_->exec("SET check_function_bodies = off");
    target_guard_.emplace(job_, queue_.group(), *target_);
  }

  jobs::Job& job_;
  LoadQueue& queue_;
  const LoadSettings& settings_;
  const bool first_;
  // Declared in the order they must be opened; destroyed in reverse.
  std::optional<pg::Connection> own_source_;
  pg::Connection* source_ = nullptr;
  std::optional<Enlisted> source_guard_;
  std::optional<pg::Connection> target_;
  std::optional<Enlisted> target_guard_;
};

void worker(jobs::Job& job, LoadQueue& queue, const LoadSettings& settings, std::atomic<std::int64_t>& done,
            bool first) {
  try {
    Lane lane(job, queue, settings, first);
    while (const plan::TableTask* task = queue.next(job)) {
      lane.load(*task);
      job.set_tables(static_cast<std::int64_t>(queue.total()), ++done);
    }
  } catch (...) {
    queue.fail(std::current_exception());
  }
}

}  // namespace

TableLoad::TableLoad(jobs::Job& job, const plan::ClonePlan& plan, const LoadSettings& settings,
                     const std::map<std::string, std::size_t>& readiness)
    : job_(job), settings_(settings), queue_(std::make_unique<LoadQueue>(plan, job.journal(), readiness)) {
  auto done = std::make_shared<std::atomic<std::int64_t>>(static_cast<std::int64_t>(queue_->total() - queue_->size()));
  job.set_tables(static_cast<std::int64_t>(queue_->total()), *done);
  const int threads = std::max(0, std::min<int>(settings_.workers, static_cast<int>(queue_->size())));
  for (int i = 0; i < threads; ++i) {
    workers_.emplace_back([this, done, i] { worker(job_, *queue_, settings_, *done, i == 0); });
  }
}

TableLoad::~TableLoad() {
  if (workers_.empty()) return;
  queue_->fail(std::make_exception_ptr(pg::PgError(protocol::sqlstate::kQueryCanceled, "the table load was stopped")));
  for (std::thread& thread : workers_) thread.join();
}

void TableLoad::objects_created(std::size_t steps) { queue_->objects_created(steps); }

SiblingGroup& TableLoad::siblings() { return queue_->group(); }

void TableLoad::throw_if_failed() {
  if (std::exception_ptr failure = queue_->group().failure()) std::rethrow_exception(failure);
}

void TableLoad::finish() {
  queue_->all_objects_created();
  for (std::thread& thread : workers_) thread.join();
  workers_.clear();
  throw_if_failed();
}

}  // namespace pgclone::agent::clone
