// How long the agent lets one connection attempt take. The agent bounds every
// attempt itself: libpq does not apply connect_timeout to asynchronous
// connects, and a caller must not be able to switch the bound off
// (connect_timeout=0) and park a worker on a server that never answers.
#pragma once

#include <chrono>
#include <string>

namespace pgclone::agent::pg {

inline constexpr std::chrono::seconds kDefaultConnectTimeout{10};
inline constexpr std::chrono::seconds kMinConnectTimeout{2};
inline constexpr std::chrono::seconds kMaxConnectTimeout{60};

// A connect_timeout value in seconds: 0 or less (libpq's "wait forever")
// becomes the default; the result lies in [kMinConnectTimeout,
// kMaxConnectTimeout].
std::chrono::seconds clamp_connect_timeout(long long seconds);

// The bound for the whole attempt at `conninfo` (all of its hosts together):
// its connect_timeout, or the default when it has none, clamped as above.
// Throws PgError 22023 when the connection string or its connect_timeout
// value is invalid.
std::chrono::seconds connect_timeout_of(const std::string& conninfo);

}  // namespace pgclone::agent::pg
