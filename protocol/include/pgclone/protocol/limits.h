#pragma once
// Bounds on what a caller may send (placeholder until the bounds branch lands).
#include <cstddef>
namespace pgclone::protocol {
inline constexpr std::size_t kMaxIdentifierBytes = 63;
inline constexpr std::size_t kMaxConninfoBytes = 4096;
inline constexpr std::size_t kMaxOptionsBytes = 65536;
}  // namespace pgclone::protocol
