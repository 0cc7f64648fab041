#pragma once
// Warnings about what peers send (refused handshakes, malformed messages) are
// throttled: a peer repeating itself in a loop must not fill the disk. At most
// one line per interval per throttle; the lines skipped meanwhile are counted
// into the next one that is written.

#include <chrono>
#include <mutex>
#include <string>

namespace pgclone::agent::log {

class Throttle {
 public:
  explicit Throttle(std::chrono::milliseconds interval = std::chrono::seconds(1)) : interval_(interval) {}

  // Writes message as a warning unless one was written within the interval.
  void warn(const std::string& message);

 private:
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  long skipped_ = 0;
};

}  // namespace pgclone::agent::log
