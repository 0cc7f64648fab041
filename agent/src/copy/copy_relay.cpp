#include "copy/copy_relay.h"

#include <chrono>
#include <ctime>
#include <memory>

namespace pgclone::agent::copy {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

ResultPtr take_result(PGconn* conn) { return ResultPtr(PQgetResult(conn), &PQclear); }

// Reads results until libpq says the command is over. Never call it on a
// connection still in COPY mode: PQgetResult would return the COPY state forever.
void drain_results(PGconn* conn) {
  while (ResultPtr result = take_result(conn)) {
  }
}

// Stops reading a COPY TO STDOUT we no longer want: cancel it on the server and
// discard what is still in flight until the stream ends.
void abandon_copy_out(pg::Connection& source) {
  source.cancel();
  for (;;) {
    char* buffer = nullptr;
    const int length = PQgetCopyData(source.raw(), &buffer, 0);
    if (buffer != nullptr) PQfreemem(buffer);
    if (length < 0) break;
  }
  drain_results(source.raw());
}

pg::PgError connection_error(pg::Connection& conn, const std::string& what) {
  return conn.error_for(nullptr, what);
}

// Starts a COPY and checks the server entered the expected copy mode.
void start_copy(pg::Connection& conn, const std::string& sql, ExecStatusType expected) {
  ResultPtr result(PQexecParams(conn.raw(), sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0),
                   &PQclear);
  if (PQresultStatus(result.get()) != expected) {
    pg::PgError error = conn.error_for(result.get(), "could not start COPY on the " + conn.label() + " server");
    drain_results(conn.raw());
    throw error;
  }
}

// Ends the target's COPY with an error so its server discards the rows.
void abort_target_copy(pg::Connection& target, const char* reason) {
  PQputCopyEnd(target.raw(), reason);
  drain_results(target.raw());
}

pg::PgError finished_copy_error(pg::Connection& conn) {
  ResultPtr result = take_result(conn.raw());
  pg::PgError error = conn.error_for(result.get(), "COPY failed on the " + conn.label() + " server");
  drain_results(conn.raw());
  return error;
}

// The clock is read once per row: the coarse one costs a few nanoseconds
// and its few milliseconds of resolution are plenty for progress reports.
std::chrono::nanoseconds coarse_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

CopyStats relay_copy(pg::Connection& source, const std::string& source_copy,
                     pg::Connection& target, const std::string& target_copy,
                     const CopyProgress& progress) {
  // The relay drives libpq itself: a cancel must know it is in a call.
  const pg::Connection::Busy source_busy(source);
  const pg::Connection::Busy target_busy(target);
  start_copy(target, target_copy, PGRES_COPY_IN);
  try {
    start_copy(source, source_copy, PGRES_COPY_OUT);
  } catch (...) {
    abort_target_copy(target, "pgclone: the source COPY could not start");
    throw;
  }

  CopyStats stats;
  std::int64_t unreported = 0;
  std::int64_t unreported_rows = 0;
  auto last_report = coarse_now();
  // COPY data need not follow row boundaries, so rows are gathered into
  // chunks: one CopyData message and one send per chunk instead of per row.
  std::string chunk;
  chunk.reserve(kSendChunkBytes + 64 * 1024);
  auto send_chunk = [&]() {
    if (chunk.empty()) return;
    const int put = PQputCopyData(target.raw(), chunk.data(), static_cast<int>(chunk.size()));
    chunk.clear();
    if (put != 1) {
      // The target rejected the stream (bad row, cancel, lost connection).
      abandon_copy_out(source);
      throw put < 0 ? finished_copy_error(target)
                    : connection_error(target, "could not send COPY data to the target");
    }
  };
  for (;;) {
    char* buffer = nullptr;
    const int length = PQgetCopyData(source.raw(), &buffer, 0);
    if (length == -1) break;  // source finished; its final result follows
    if (length < 0) {
      pg::PgError error = finished_copy_error(source);
      abort_target_copy(target, "pgclone: the source COPY failed");
      throw error;
    }
    chunk.append(buffer, static_cast<std::size_t>(length));
    PQfreemem(buffer);
    if (chunk.size() >= kSendChunkBytes) send_chunk();
    stats.bytes += length;
    unreported += length;
    ++unreported_rows;  // binary COPY's header and trailer make this 2 high at most
    // Slow sources must still show progress: report every kProgressBytes, and
    // at least every kProgressInterval (sending what is gathered, too).
    const auto now = coarse_now();
    if (unreported >= kProgressBytes || now - last_report >= kProgressInterval) {
      send_chunk();
      last_report = now;
      progress(unreported, unreported_rows);
      unreported = 0;
      unreported_rows = 0;
    }
  }
  send_chunk();
  if (unreported > 0) progress(unreported, unreported_rows);

  ResultPtr source_result = take_result(source.raw());
  if (PQresultStatus(source_result.get()) != PGRES_COMMAND_OK) {
    pg::PgError error = source.error_for(source_result.get(), "COPY failed on the source server");
    drain_results(source.raw());
    abort_target_copy(target, "pgclone: the source COPY failed");
    throw error;
  }
  drain_results(source.raw());

  if (PQputCopyEnd(target.raw(), nullptr) != 1) {
    throw connection_error(target, "could not finish COPY on the target");
  }
  ResultPtr target_result = take_result(target.raw());
  if (PQresultStatus(target_result.get()) != PGRES_COMMAND_OK) {
    pg::PgError error = target.error_for(target_result.get(), "COPY failed on the target server");
    drain_results(target.raw());
    throw error;
  }
  stats.rows = std::stoll(PQcmdTuples(target_result.get()));
  drain_results(target.raw());
  return stats;
}

}  // namespace pgclone::agent::copy
