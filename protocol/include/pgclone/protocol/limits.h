#pragma once
// Bounds on what a caller may send, checked by both the extension (before
// anything reaches the agent) and the agent (which trusts no request). They
// exist so that no input can crash a backend or the agent, exhaust their
// memory, or keep them busy for long: see "Security model" in ARCHITECTURE.md.

// Constants only: the extension's PostgreSQL frame includes this header.
#include <cstddef>
#include <cstdint>

namespace pgclone::protocol {

// PostgreSQL's NAMEDATALEN - 1: a longer name would be truncated by the
// server, silently naming another object.
inline constexpr std::size_t kMaxIdentifierBytes = 63;

// Far beyond any real connection string (libpq has no limit of its own).
inline constexpr std::size_t kMaxConninfoBytes = 4096;

// The options JSON text as a whole, and how deeply its arrays and objects may
// nest (real options nest two levels).
inline constexpr std::size_t kMaxOptionsBytes = 65536;
inline constexpr int kMaxOptionsDepth = 32;

// Table patterns ("tables", "exclude_tables"): table names have at most 63
// bytes, so a pattern longer than this is no selection but an attack.
inline constexpr std::size_t kMaxPatternBytes = 512;
inline constexpr std::size_t kMaxPatternsPerKey = 256;

// RE2 max_mem of the patterns of one key, compiled together: their program
// plus its DFA cache (RE2's own default; room for about 130 patterns using a
// Unicode class such as \pL). Patterns needing more are refused, and since
// RE2 compiles until the budget runs out, this also bounds the time checking
// takes (0.2 s for both keys at worst). One budget per key, not per pattern:
// 256 patterns at 1 MiB each took 20 s to compile and 260 MiB to hold.
inline constexpr std::int64_t kMaxPatternMemoryBytes = 8 << 20;

}  // namespace pgclone::protocol
