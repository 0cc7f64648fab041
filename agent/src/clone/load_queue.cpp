#include "clone/load_queue.h"

#include <algorithm>
#include <chrono>

#include "clone/job_session.h"

namespace pgclone::agent::clone {
namespace {

bool smaller(const plan::TableTask* a, const plan::TableTask* b) {
  if (a->estimated_bytes != b->estimated_bytes) return a->estimated_bytes < b->estimated_bytes;
  return a->id > b->id;  // equal sizes: in the plan's (name) order
}

}  // namespace

LoadQueue::LoadQueue(const plan::ClonePlan& plan, const jobs::JobJournal& journal,
                     const std::map<std::string, std::size_t>& readiness)
    : total_(plan.tables.size()) {
  for (const plan::TableTask& task : plan.tables) {
    // A resumed job does not load again what its predecessor committed.
    if (journal.task_done(task.id)) continue;
    auto it = readiness.find(task.id);
    waiting_.emplace_back(it == readiness.end() ? 0 : it->second, &task);
  }
  std::stable_sort(waiting_.begin(), waiting_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const plan::Step& step : plan.steps) {
    if (step.section == plan::Section::kTablePost) table_steps_[step.table_id].push_back(&step);
  }
  release_ready();
}

void LoadQueue::release_ready() {
  while (released_ < waiting_.size() && (all_created_ || waiting_[released_].first <= created_)) {
    ready_.push_back(waiting_[released_++].second);
    std::push_heap(ready_.begin(), ready_.end(), smaller);
  }
}

const plan::TableTask* LoadQueue::next(const jobs::Job& job) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (group_.failed()) return nullptr;
    if (!ready_.empty()) {
      std::pop_heap(ready_.begin(), ready_.end(), smaller);
      const plan::TableTask* task = ready_.back();
      ready_.pop_back();
      return task;
    }
    if (released_ == waiting_.size()) return nullptr;
    // Woken by the next commit of pre-data, or a failure; the timeout only
    // notices a stopped job while pre-data is blocked.
    changed_.wait_for(lock, std::chrono::milliseconds(200));
    lock.unlock();
    throw_if_stopped(job);
    lock.lock();
  }
}

void LoadQueue::objects_created(std::size_t steps) {
  std::lock_guard<std::mutex> lock(mutex_);
  created_ = std::max(created_, steps);
  release_ready();
  changed_.notify_all();
}

void LoadQueue::all_objects_created() {
  std::lock_guard<std::mutex> lock(mutex_);
  all_created_ = true;
  release_ready();
  changed_.notify_all();
}

bool LoadQueue::all_created() {
  std::lock_guard<std::mutex> lock(mutex_);
  return all_created_;
}

void LoadQueue::fail(std::exception_ptr error) {
  group_.fail(error);
  std::lock_guard<std::mutex> lock(mutex_);
  changed_.notify_all();
}

const std::vector<const plan::Step*>& LoadQueue::steps_of(const std::string& table_id) const {
  static const std::vector<const plan::Step*> kNone;
  auto it = table_steps_.find(table_id);
  return it == table_steps_.end() ? kNone : it->second;
}

}  // namespace pgclone::agent::clone
