// Timing for tests that assert how soon something gives up or ends.
#pragma once

#include <chrono>

namespace pgclone::agent::testing {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace pgclone::agent::testing
