#include "jobs/job_journal.h"

#include "store/job_store.h"

namespace pgclone::agent::jobs {

JobJournal::JobJournal(std::int64_t job_id, store::JobStore* store) : job_id_(job_id), store_(store) {}

void JobJournal::load() {
  if (store_ == nullptr) return;
  std::set<std::string> tasks = store_->done_tasks(job_id_);
  std::set<std::string> checkpoints = store_->checkpoints(job_id_);
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_ = std::move(tasks);
  checkpoints_ = std::move(checkpoints);
}

bool JobJournal::task_done(const std::string& task) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.count(task) > 0;
}

void JobJournal::mark_task_done(const std::string& task, std::int64_t rows, std::int64_t bytes) {
  if (store_ != nullptr) store_->record_task_done(job_id_, task, rows, bytes);
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.insert(task);
}

bool JobJournal::passed(const std::string& checkpoint) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return checkpoints_.count(checkpoint) > 0;
}

void JobJournal::mark_passed(const std::string& checkpoint) {
  if (store_ != nullptr) store_->record_checkpoint(job_id_, checkpoint);
  std::lock_guard<std::mutex> lock(mutex_);
  checkpoints_.insert(checkpoint);
}

std::set<std::string> JobJournal::with_prefix(const std::string& prefix) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::set<std::string> out;
  for (const std::string& name : checkpoints_) {
    if (name.rfind(prefix, 0) == 0) out.insert(name);
  }
  return out;
}

void JobJournal::forget() {
  if (store_ != nullptr) store_->forget_progress(job_id_);
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.clear();
  checkpoints_.clear();
}

}  // namespace pgclone::agent::jobs
