#pragma once
// Bounds on what a caller may send, checked by both the extension (before
// anything reaches the agent) and the agent (which trusts no request). They
// exist so that no input can crash a backend or the agent, exhaust their
// memory, or keep them busy for long: see "Security model" in ARCHITECTURE.md.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pgclone/protocol/error_info.h"

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

// "The <what> has N bytes; at most L are allowed." — the detail of every
// too-long error, so they all read alike.
std::string too_long_detail(std::string_view what, std::size_t bytes, std::size_t limit);

// When value is longer than kMaxIdentifierBytes: SQLSTATE 42622
// (name_too_long), message "<what> is too long" and a too_long_detail, e.g.
// identifier_too_long(schema, "schema name"). nullopt when it fits.
std::optional<ErrorInfo> identifier_too_long(std::string_view value, const char* what);

}  // namespace pgclone::protocol
