#pragma once
// Streams one COPY from a source connection into a COPY on a target
// connection. Bytes are relayed as they come, never parsed, so memory stays
// bounded by libpq's buffers plus one send chunk whatever the table size.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "pg/connection.h"

namespace pgclone::agent::copy {

struct CopyStats {
  std::int64_t rows = 0;   // as counted by the target's COPY
  std::int64_t bytes = 0;  // COPY payload bytes relayed
};

// Called every kProgressBytes or so with the bytes and rows relayed since the
// last call. Rows are counted from COPY messages (one per row), so they are
// live; the exact count is CopyStats::rows, from the target, at the end.
using CopyProgress = std::function<void(std::int64_t bytes, std::int64_t rows)>;

inline constexpr std::int64_t kProgressBytes = 1 << 20;
inline constexpr std::chrono::milliseconds kProgressInterval{200};
// Rows are passed on to the target in chunks of about this size.
inline constexpr std::size_t kSendChunkBytes = 128 * 1024;

// source_copy: "COPY (SELECT …) TO STDOUT …"; target_copy: "COPY t (…) FROM
// STDIN …". Both connections must be idle inside their transactions. Throws
// pg::PgError with the failing side's error; on failure the target's COPY is
// aborted, so its transaction must then be rolled back by the caller.
CopyStats relay_copy(pg::Connection& source, const std::string& source_copy,
                     pg::Connection& target, const std::string& target_copy,
                     const CopyProgress& progress);

}  // namespace pgclone::agent::copy
