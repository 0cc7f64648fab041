#pragma once
// Versions shared by the extension and the agent.

namespace pgclone::protocol {

// The product version reported by pgclone.version() and the agent.
inline constexpr const char* kProductVersion = "0.1.0";

// Bumped only for incompatible wire changes; structs otherwise grow at the end.
inline constexpr unsigned kProtocolMajor = 2;

// First frame of every message: kProtocolTagPrefix followed by the major version.
inline constexpr const char* kProtocolTagPrefix = "pgclone/";

// Largest message either side accepts; enforced with ZMQ_MAXMSGSIZE and on decode.
inline constexpr long kMaxMessageBytes = 32L << 20;

// Largest request the agent accepts (a clone request's fields are bounded far
// below this, see limits.h); larger ones are dropped by ZeroMQ unread.
inline constexpr long kMaxRequestBytes = 256L << 10;

// Default agent endpoint: loopback only.
inline constexpr const char* kDefaultEndpoint = "tcp://127.0.0.1:5599";

}  // namespace pgclone::protocol
