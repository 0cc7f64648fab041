#include "clone/sibling_group.h"

#include <algorithm>

namespace pgclone::agent::clone {

void SiblingGroup::fail(std::exception_ptr error) {
  // The mutex stays held while cancelling: a sibling releasing (and then
  // destroying) its connection must wait until the cancel is done.
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_) return;
  failure_ = error;
  for (pg::Connection* connection : connections_) connection->cancel();
}

bool SiblingGroup::failed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_ != nullptr;
}

std::exception_ptr SiblingGroup::failure() {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

void SiblingGroup::enlist(pg::Connection* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.push_back(connection);
}

void SiblingGroup::release(pg::Connection* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.erase(std::remove(connections_.begin(), connections_.end(), connection), connections_.end());
}

Enlisted::Enlisted(jobs::Job& job, SiblingGroup& group, pg::Connection& connection)
    : group_(group), connection_(connection), job_registration_(job, connection) {
  group_.enlist(&connection_);
}

Enlisted::~Enlisted() { group_.release(&connection_); }

}  // namespace pgclone::agent::clone
