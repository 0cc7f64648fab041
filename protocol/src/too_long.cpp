#include "pgclone/protocol/too_long.h"

#include "pgclone/protocol/sqlstate.h"

namespace pgclone::protocol {

std::string too_long_detail(std::string_view what, std::size_t bytes, std::size_t limit) {
  std::string detail = "The ";
  detail.append(what);
  detail += " has " + std::to_string(bytes) + " bytes; at most " + std::to_string(limit) + " are allowed.";
  return detail;
}

std::optional<ErrorInfo> identifier_too_long(std::string_view value, const char* what) {
  if (value.size() <= kMaxIdentifierBytes) return std::nullopt;
  ErrorInfo error;
  error.sqlstate = sqlstate::kNameTooLong;
  error.message = std::string(what) + " is too long";
  error.detail = too_long_detail(what, value.size(), kMaxIdentifierBytes);
  return error;
}

}  // namespace pgclone::protocol
