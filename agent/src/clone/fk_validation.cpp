#include "clone/fk_validation.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "clone/job_session.h"
#include "cluster/remote_run.h"
#include "cluster/remote_task.h"
#include "clone/sibling_group.h"
#include "clone/step_runner.h"

namespace pgclone::agent::clone {

void validate_foreign_keys(jobs::Job& job, const plan::ClonePlan& plan, const std::string& target_conninfo,
                           int workers) {
  std::vector<const plan::Step*> pending;
  for (const plan::Step& step : plan.steps)
    if (step.kind == kValidationKind && !job.journal().passed(step.id)) pending.push_back(&step);
  if (pending.empty()) return;

  SiblingGroup group;
  std::atomic<std::size_t> next{0};
  const auto stopped = [&] { return job.stop_requested() || group.failed(); };
  auto validator = [&]() {
    try {
      // Opened when the first validation stays here (no worker slot free).
      std::optional<pg::Connection> target;
      std::optional<Enlisted> guard;
      for (std::size_t i = next++; i < pending.size() && !group.failed(); i = next++) {
        throw_if_stopped(job);
        job.set_current_table(pending[i]->description);
        bool redone = false;
        const auto assignment = [&](bool) { return cluster::steps_assignment(job, {pending[i]}); };
        if (!cluster::run_remotely(job, assignment, target_conninfo, stopped, &redone)) {
          if (!target) {
            target.emplace(open_target(target_conninfo, job));
            guard.emplace(job, group, *target);
          }
          run_step(*target, *pending[i]);
        }
        job.journal().mark_passed(pending[i]->id);
      }
    } catch (...) {
      group.fail(std::current_exception());
    }
  };
  const int threads = std::max(1, std::min<int>(workers, static_cast<int>(pending.size())));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back(validator);
  for (std::thread& thread : pool) thread.join();
  if (std::exception_ptr failure = group.failure()) std::rethrow_exception(failure);
}

}  // namespace pgclone::agent::clone
