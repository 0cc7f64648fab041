#pragma once
// The errors of input over the bounds of limits.h, worded alike everywhere.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pgclone/protocol/error_info.h"
#include "pgclone/protocol/limits.h"

namespace pgclone::protocol {

// "The <what> has N bytes; at most L are allowed." — the detail of every
// too-long error, so they all read alike.
std::string too_long_detail(std::string_view what, std::size_t bytes, std::size_t limit);

// When value is longer than kMaxIdentifierBytes: SQLSTATE 42622
// (name_too_long), message "<what> is too long" and a too_long_detail, e.g.
// identifier_too_long(schema, "schema name"). nullopt when it fits.
std::optional<ErrorInfo> identifier_too_long(std::string_view value, const char* what);

}  // namespace pgclone::protocol
