#include "util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace pgclone::agent::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_write_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO";
    case Level::kWarn: return "WARN";
    case Level::kError: return "ERROR";
  }
  return "INFO";
}

}  // namespace

void set_level(Level level) { g_level = static_cast<int>(level); }

bool parse_level(const std::string& text, Level* level) {
  if (text == "debug") *level = Level::kDebug;
  else if (text == "info") *level = Level::kInfo;
  else if (text == "warn") *level = Level::kWarn;
  else if (text == "error") *level = Level::kError;
  else return false;
  return true;
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

std::string truncate_message(const std::string& message, std::size_t limit) {
  if (message.size() <= limit) return message;
  auto marker = [](std::size_t dropped) { return " ... [" + std::to_string(dropped) + " bytes dropped]"; };
  // The marker's length depends on the count it shows; the longest count it
  // can show is the whole message.
  const std::size_t reserve = marker(message.size()).size();
  std::size_t keep = limit > reserve ? limit - reserve : 0;
  while (keep > 0 && (static_cast<unsigned char>(message[keep]) & 0xC0) == 0x80) --keep;
  return message.substr(0, keep) + marker(message.size() - keep);
}

void write(Level level, const std::string& message) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  const std::string shown = truncate_message(message);
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::fprintf(stderr, "%s.%03dZ %-5s %s\n", stamp, static_cast<int>(millis), level_name(level), shown.c_str());
  std::fflush(stderr);
}

}  // namespace pgclone::agent::log
