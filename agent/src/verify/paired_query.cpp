#include "verify/paired_query.h"

#include <optional>

namespace pgclone::agent::verify {
namespace {

void send(pg::Connection& connection, const std::string& sql) {
  if (PQsendQueryParams(connection.raw(), sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
    throw connection.error_for(nullptr, "could not send a query to the " + connection.label() + " server");
  }
}

// The query's last result (blocking); an error result is kept, not thrown,
// until every result of the connection has been read.
pg::Result collect(pg::Connection& connection, std::optional<pg::PgError>& error) {
  pg::Result last;
  while (PGresult* r = PQgetResult(connection.raw())) {
    pg::Result result(r);
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && !error) {
      error = connection.error_for(r, "query failed on " + connection.label() + " server");
    }
    last = std::move(result);
  }
  if (!last.raw() && !error) error = connection.error_for(nullptr, "query failed on " + connection.label() + " server");
  return last;
}

}  // namespace

std::pair<pg::Result, pg::Result> query_both(pg::Connection& first, const std::string& first_sql,
                                             pg::Connection& second, const std::string& second_sql) {
  const pg::Connection::Busy first_busy(first);
  const pg::Connection::Busy second_busy(second);
  send(first, first_sql);
  std::optional<pg::PgError> first_error, second_error;
  try {
    send(second, second_sql);
  } catch (const pg::PgError& e) {
    second_error = e;
  }
  pg::Result first_result = collect(first, first_error);
  pg::Result second_result;
  if (!second_error) second_result = collect(second, second_error);
  if (first_error) throw *first_error;
  if (second_error) throw *second_error;
  return {std::move(first_result), std::move(second_result)};
}

}  // namespace pgclone::agent::verify
