#include "pg/pg_error.h"

#include <utility>

namespace pgclone::agent::pg {

namespace {

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? std::string(v) : std::string();
}

// libpq messages end with a newline (sometimes several lines); callers embed
// them in other text, so trailing whitespace only gets in the way.
std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

PgError::PgError(std::string sqlstate_in, std::string message_in, std::string detail_in,
                 std::string hint_in, std::string context_in)
    : std::runtime_error(message_in),
      sqlstate(std::move(sqlstate_in)),
      message(std::move(message_in)),
      detail(std::move(detail_in)),
      hint(std::move(hint_in)),
      context(std::move(context_in)) {}

PgError error_from_result(const PGresult* r, const std::string& fallback_message) {
  if (r == nullptr) return PgError("53200", fallback_message + ": out of memory");
  std::string sqlstate = field(r, PG_DIAG_SQLSTATE);
  std::string message = trim_right(field(r, PG_DIAG_MESSAGE_PRIMARY));
  if (message.empty()) message = trim_right(PQresultErrorMessage(r));
  if (message.empty()) message = fallback_message;
  if (sqlstate.empty()) sqlstate = "XX000";
  return PgError(std::move(sqlstate), std::move(message), trim_right(field(r, PG_DIAG_MESSAGE_DETAIL)),
                 trim_right(field(r, PG_DIAG_MESSAGE_HINT)), trim_right(field(r, PG_DIAG_CONTEXT)));
}

}  // namespace pgclone::agent::pg
