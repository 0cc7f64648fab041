#pragma once
// A PostgreSQL-style error as it travels between agent and extension.

#include <msgpack.hpp>
#include <string>

namespace pgclone::protocol {

struct ErrorInfo {
  std::string sqlstate;  // five characters, e.g. "42P01"
  std::string message;   // primary message: lower case, no trailing period
  std::string detail;    // full sentences, may be empty
  std::string hint;      // full sentences, may be empty
  std::string context;   // where it happened (e.g. the object being cloned)
  MSGPACK_DEFINE(sqlstate, message, detail, hint, context);
};

// Notices the extension re-raises in the calling backend.
struct Notice {
  std::string level;  // "notice" or "warning"
  std::string message;
  std::string detail;
  MSGPACK_DEFINE(level, message, detail);
};

}  // namespace pgclone::protocol
