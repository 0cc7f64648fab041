#include "pg/connect_timeout.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "pg/conninfo.h"
#include "pg/pg_error.h"

namespace pgclone::agent::pg {
namespace {

// Accepts what libpq's parse_int_param accepts: an integer with optional
// surrounding white space.
bool parse_seconds(const std::string& text, long long* seconds) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  *seconds = std::strtoll(begin, &end, 10);
  if (end == begin || errno != 0) return false;
  while (*end != '\0' && std::isspace(static_cast<unsigned char>(*end))) ++end;
  return *end == '\0';
}

}  // namespace

std::chrono::seconds clamp_connect_timeout(long long seconds) {
  if (seconds <= 0) return kDefaultConnectTimeout;
  return std::clamp(std::chrono::seconds(seconds), kMinConnectTimeout, kMaxConnectTimeout);
}

std::chrono::seconds connect_timeout_of(const std::string& conninfo) {
  const auto options = conninfo_options(conninfo);
  const auto it = options.find("connect_timeout");
  if (it == options.end() || it->second.empty()) return kDefaultConnectTimeout;
  long long seconds = 0;
  if (!parse_seconds(it->second, &seconds)) {
    throw PgError("22023", "invalid connection string: invalid integer value \"" + it->second +
                               "\" for connection option \"connect_timeout\"");
  }
  return clamp_connect_timeout(seconds);
}

}  // namespace pgclone::agent::pg
