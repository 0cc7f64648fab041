#include "util/throttled_log.h"

#include "util/log.h"

namespace pgclone::agent::log {

void Throttle::warn(const std::string& message) {
  long skipped = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (last_ != std::chrono::steady_clock::time_point{} && now - last_ < interval_) {
      ++skipped_;
      return;
    }
    last_ = now;
    skipped = skipped_;
    skipped_ = 0;
  }
  if (skipped > 0) {
    log::warn(message, " (", skipped, " similar lines skipped before this one)");
  } else {
    log::warn(message);
  }
}

}  // namespace pgclone::agent::log
