// Move-only RAII wrappers over libpq's PGconn / PGresult.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "pg/cancel_link.h"
#include "pg/pg_error.h"

namespace pgclone::agent::pg {

class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) noexcept : res_(r) {}
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string get(int row, int col) const;                   // "" for NULL
  std::string get(int row, const char* column_name) const;   // std::logic_error if no such column
  std::optional<std::string> get_optional(int row, const char* column_name) const;  // nullopt for NULL
  bool get_bool(int row, const char* column_name) const;      // 't' -> true
  long long get_int(int row, const char* column_name) const;  // std::logic_error if not an integer
  std::string command_tuples() const;                         // PQcmdTuples
  PGresult* raw() const { return res_; }

 private:
  int column_index(const char* column_name) const;
  PGresult* res_ = nullptr;
};

class Connection {
 public:
  // Asked at least every 100 ms while connecting; gives up by throwing (the
  // job's own stop error).
  using StopCheck = std::function<void()>;

  // Marks a round trip the caller makes itself through raw() (COPY) as
  // running, so that cancel() can end it by force when the server ignores
  // the cancel request. exec() and query() mark theirs.
  class Busy {
   public:
    explicit Busy(const Connection& connection);
    ~Busy();
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;

   private:
    std::shared_ptr<CancelLink> link_;
  };

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Connects; throws PgError("08001", "could not connect to <role> server: <libpq
  // message>") with any password scrubbed. role_label ("source", "target")
  // appears in messages. application_name and keepalives get defaults the
  // conninfo can override; `overrides` override the conninfo. The whole attempt (every host of the conninfo) is
  // bounded by connect_timeout_of(conninfo), whatever the conninfo says:
  // "... timeout expired after N s". `stop` is asked before connecting and
  // then at least every 100 ms.
  // Keywords that win over the conninfo's own.
  using Overrides = std::vector<std::pair<std::string, std::string>>;
  static Connection open(const std::string& conninfo, const std::string& role_label, const StopCheck& stop = {},
                         const Overrides& overrides = {});

  // Runs one or more statements without parameters; throws PgError on failure.
  void exec(const std::string& sql);
  // Which of a pipeline's statements failed first, and how.
  struct PipelineFailure {
    std::size_t index;
    PgError error;
  };
  // Sends the statements at once and then reads their results (libpq
  // pipeline mode): one round trip instead of one per statement. Each must
  // be a single command without parameters, not COPY, and not one that
  // refuses a transaction block (the pipeline runs as one). Runs inside the
  // caller's open transaction, if any. Stops at the first failure and says
  // which statement it was; the statements after it did not run. Throws
  // PgError only when the connection itself fails.
  std::optional<PipelineFailure> exec_pipeline(const std::vector<std::string>& statements);
  // PQexecParams with text parameters and text results; nullopt is SQL NULL.
  Result query(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});

  // Thread-safe, returns at once, never throws: asks the server to cancel
  // whatever runs on this connection now, and if that call (exec, query, or
  // one marked Busy) still runs kHardStopDelay later, shuts the socket down
  // so it fails. Callers other than the owner must keep the connection from
  // being moved or destroyed meanwhile (see clone::InterruptRegistration).
  void cancel() noexcept;

  std::string quote_ident(const std::string& s) const;    // PQescapeIdentifier (always quotes)
  std::string quote_literal(const std::string& s) const;  // PQescapeLiteral

  // The error a failed result (or nullptr) stands for: the server's SQLSTATE,
  // or 08006 when libpq failed because the connection died; secrets scrubbed.
  PgError error_for(const PGresult* r, const std::string& fallback) const;

  PGconn* raw() const { return conn_; }
  const std::string& label() const { return label_; }

 private:
  Connection(PGconn* conn, std::string label, std::string conninfo);
  void release() noexcept;
  [[noreturn]] void throw_result_error(const PGresult* r, const std::string& fallback) const;

  PGconn* conn_ = nullptr;
  std::shared_ptr<CancelLink> link_;  // shared with threads cancelling this connection
  std::string label_;
  std::string conninfo_;  // kept only to scrub its password out of error texts
};

// Parses PostgreSQL's text output of a one-dimensional array ({a,"b c",NULL}).
// NULL elements become "". Used for name[] / text[] catalog columns, whose
// elements may contain commas and quotes.
std::vector<std::string> parse_text_array(const std::string& literal);

}  // namespace pgclone::agent::pg
