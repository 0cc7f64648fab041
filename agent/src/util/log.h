#pragma once
// Agent logging: one line per event on stderr, with a UTC timestamp and level.
// Never pass a raw connection string here; redact it first.

#include <cstddef>
#include <sstream>
#include <string>

namespace pgclone::agent::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_level(Level level);
// Parses debug|info|warn|error; returns false on anything else.
bool parse_level(const std::string& text, Level* level);
bool enabled(Level level);
// Messages longer than kMaxMessageBytes are cut (see truncate_message).
void write(Level level, const std::string& message);

// A log line must stay readable and bounded whatever a server or a caller put
// into the text it carries.
inline constexpr std::size_t kMaxMessageBytes = 4096;

// `message` itself when it fits in `limit` bytes; otherwise its beginning, cut
// on a UTF-8 character boundary, and a marker saying how many bytes were
// dropped, together no longer than `limit`.
std::string truncate_message(const std::string& message, std::size_t limit = kMaxMessageBytes);

namespace detail {
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

template <typename... Parts>
void debug(const Parts&... parts) {
  if (enabled(Level::kDebug)) write(Level::kDebug, detail::concat(parts...));
}
template <typename... Parts>
void info(const Parts&... parts) {
  if (enabled(Level::kInfo)) write(Level::kInfo, detail::concat(parts...));
}
template <typename... Parts>
void warn(const Parts&... parts) {
  if (enabled(Level::kWarn)) write(Level::kWarn, detail::concat(parts...));
}
template <typename... Parts>
void error(const Parts&... parts) {
  if (enabled(Level::kError)) write(Level::kError, detail::concat(parts...));
}

}  // namespace pgclone::agent::log
