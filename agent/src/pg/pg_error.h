// Error type for everything that comes back from libpq or a PostgreSQL server.
#pragma once

#include <stdexcept>
#include <string>

#include <libpq-fe.h>

namespace pgclone::agent::pg {

// Keeps SQLSTATE, detail, hint and context apart so they can travel unchanged
// to the SQL caller (see ARCHITECTURE.md, "Errors that come from a PostgreSQL
// server keep their SQLSTATE, detail and hint"). what() is the primary message.
struct PgError : std::runtime_error {
  PgError(std::string sqlstate, std::string message, std::string detail = {},
          std::string hint = {}, std::string context = {});

  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;
  std::string context;
};

// Builds a PgError from a failed PGresult (PG_DIAG_SQLSTATE, MESSAGE_PRIMARY,
// MESSAGE_DETAIL, MESSAGE_HINT, CONTEXT). Errors generated inside libpq carry no
// SQLSTATE; they get "XX000" and libpq's message (or fallback_message when even
// that is empty). A null result (out of memory) is accepted.
PgError error_from_result(const PGresult* r, const std::string& fallback_message);

}  // namespace pgclone::agent::pg
