#include "pg/connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <utility>

#include "pg/connect_timeout.h"
#include "pg/conninfo.h"

namespace pgclone::agent::pg {

namespace {

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// The daemon has no terminal; server NOTICEs would otherwise go to stderr
// unfiltered (and could quote user data), so they are dropped here.
void ignore_notice(void*, const char*) {}

constexpr std::chrono::milliseconds kStopCheckInterval{100};

// Waits until `socket` is ready for what PQconnectPoll asked for, or `wait`
// passed. True when PQconnectPoll should run again (a failing poll() is left
// to it to report).
bool socket_ready(int socket, bool for_reading, std::chrono::milliseconds wait) {
  if (socket < 0) return true;
  pollfd pfd{socket, static_cast<short>(for_reading ? POLLIN : POLLOUT), 0};
  const int n = ::poll(&pfd, 1, static_cast<int>(wait.count()));
  if (n < 0) return errno != EINTR;
  return n > 0;
}

}  // namespace

// ---------------------------------------------------------------- Result

Result::Result(Result&& other) noexcept : res_(other.res_) { other.res_ = nullptr; }

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (res_) PQclear(res_);
    res_ = other.res_;
    other.res_ = nullptr;
  }
  return *this;
}

Result::~Result() {
  if (res_) PQclear(res_);
}

int Result::rows() const { return res_ ? PQntuples(res_) : 0; }
int Result::columns() const { return res_ ? PQnfields(res_) : 0; }

bool Result::is_null(int row, int col) const { return PQgetisnull(res_, row, col) != 0; }

std::string Result::get(int row, int col) const {
  if (row < 0 || row >= rows() || col < 0 || col >= columns())
    throw std::out_of_range("result has no cell (" + std::to_string(row) + ", " + std::to_string(col) + ")");
  if (PQgetisnull(res_, row, col)) return {};
  return std::string(PQgetvalue(res_, row, col), static_cast<size_t>(PQgetlength(res_, row, col)));
}

int Result::column_index(const char* column_name) const {
  int col = res_ ? PQfnumber(res_, column_name) : -1;
  if (col < 0) throw std::logic_error(std::string("result has no column \"") + column_name + "\"");
  return col;
}

std::string Result::get(int row, const char* column_name) const { return get(row, column_index(column_name)); }

std::optional<std::string> Result::get_optional(int row, const char* column_name) const {
  int col = column_index(column_name);
  if (is_null(row, col)) return std::nullopt;
  return get(row, col);
}

bool Result::get_bool(int row, const char* column_name) const { return get(row, column_name) == "t"; }

long long Result::get_int(int row, const char* column_name) const {
  std::string v = get(row, column_name);
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || errno != 0 || end == nullptr || *end != '\0')
    throw std::logic_error(std::string("column \"") + column_name + "\" is not an integer: \"" + v + "\"");
  return n;
}

std::string Result::command_tuples() const { return res_ ? std::string(PQcmdTuples(res_)) : std::string(); }

// ---------------------------------------------------------------- Connection

Connection::Busy::Busy(const Connection& connection) : link_(connection.link_) {
  if (link_) link_->call_started();
}

Connection::Busy::~Busy() {
  if (link_) link_->call_finished();
}

Connection::Connection(PGconn* conn, std::string label, std::string conninfo)
    : conn_(conn),
      link_(CancelLink::create(PQgetCancel(conn), PQsocket(conn))),
      label_(std::move(label)),
      conninfo_(std::move(conninfo)) {
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

Connection::Connection(Connection&& other) noexcept
    : conn_(other.conn_),
      link_(std::move(other.link_)),
      label_(std::move(other.label_)),
      conninfo_(std::move(other.conninfo_)) {
  other.conn_ = nullptr;
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    release();
    conn_ = other.conn_;
    link_ = std::move(other.link_);
    label_ = std::move(other.label_);
    conninfo_ = std::move(other.conninfo_);
    other.conn_ = nullptr;
  }
  return *this;
}

Connection::~Connection() { release(); }

void Connection::release() noexcept {
  // Cancelling threads must be done with the socket before PQfinish closes it.
  if (link_) link_->detach_socket();
  link_.reset();
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
}

Connection Connection::open(const std::string& conninfo, const std::string& role_label, const StopCheck& stop,
                            const Overrides& overrides) {
  const std::chrono::seconds timeout = connect_timeout_of(conninfo);  // also validates the string
  if (stop) stop();
  // Defaults come before the expanded dbname entry so that anything the user's
  // conninfo sets wins, and overrides after it (libpq: later entries win).
  std::vector<const char*> keywords = {"application_name", "keepalives", "keepalives_idle", "keepalives_interval",
                                       "keepalives_count", "dbname"};
  std::vector<const char*> values = {"pgclone-agent", "1", "30", "10", "3", conninfo.c_str()};
  for (const auto& [keyword, value] : overrides) {
    keywords.push_back(keyword.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  const std::string failed = "could not connect to " + role_label + " server: ";
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
      PQconnectStartParams(keywords.data(), values.data(), /*expand_dbname=*/1), &PQfinish);
  if (!conn) throw PgError("08001", failed + "out of memory");

  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + timeout;
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;  // what libpq asks for first
  while (PQstatus(conn.get()) != CONNECTION_BAD && state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
    if (stop) stop();
    const Clock::duration left = deadline - Clock::now();
    if (left <= Clock::duration::zero())
      throw PgError("08001", failed + "timeout expired after " + std::to_string(timeout.count()) + " s");
    const auto wait =
        std::chrono::ceil<std::chrono::milliseconds>(std::min<Clock::duration>(left, kStopCheckInterval));
    // The socket changes when libpq moves on to the next host: ask every time.
    if (socket_ready(PQsocket(conn.get()), state == PGRES_POLLING_READING, wait))
      state = PQconnectPoll(conn.get());
  }
  if (state != PGRES_POLLING_OK)
    throw PgError("08001", failed + scrub_secrets(trim_right(PQerrorMessage(conn.get())), conninfo));
  return Connection(conn.release(), role_label, conninfo);
}

void Connection::throw_result_error(const PGresult* r, const std::string& fallback) const {
  throw error_for(r, fallback);
}

PgError Connection::error_for(const PGresult* r, const std::string& fallback) const {
  PgError e = error_from_result(r, fallback);
  // libpq-side failures carry no SQLSTATE; a dead connection is the usual cause.
  if (e.sqlstate == "XX000" && (r == nullptr || PQresultErrorField(r, PG_DIAG_SQLSTATE) == nullptr) &&
      PQstatus(conn_) == CONNECTION_BAD) {
    e.sqlstate = "08006";
    if (r == nullptr) e.message = trim_right(PQerrorMessage(conn_));
  }
  e.message = scrub_secrets(e.message, conninfo_);
  e.detail = scrub_secrets(e.detail, conninfo_);
  return PgError(e.sqlstate, e.message, e.detail, e.hint, e.context);
}

void Connection::exec(const std::string& sql) {
  if (!conn_) throw std::logic_error("use of a moved-from Connection");
  const Busy busy(*this);
  Result r(PQexec(conn_, sql.c_str()));
  ExecStatusType st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
    throw_result_error(r.raw(), "command failed on " + label_ + " server");
}

std::optional<Connection::PipelineFailure> Connection::exec_pipeline(const std::vector<std::string>& statements) {
  if (!conn_) throw std::logic_error("use of a moved-from Connection");
  if (statements.empty()) return std::nullopt;
  const Busy busy(*this);
  const std::string failed = "command failed on " + label_ + " server";
  if (PQenterPipelineMode(conn_) != 1) throw error_for(nullptr, failed);
  // Leaves pipeline mode however this ends; after a broken connection the
  // connection is useless anyway.
  struct PipelineMode {
    PGconn* conn;
    ~PipelineMode() {
      // Only after a failure half-way (a dead connection): drop what is left.
      for (int tries = 0; PQexitPipelineMode(conn) != 1 && PQstatus(conn) == CONNECTION_OK && tries < 1000; ++tries) {
        while (PGresult* r = PQgetResult(conn)) PQclear(r);
      }
    }
  } mode{conn_};
  // The results of DDL are a few dozen bytes each: the server's socket buffer
  // holds them all while this side is still sending, so blocking sends do not
  // wait on a server that waits on us.
  for (const std::string& statement : statements) {
    if (PQsendQueryParams(conn_, statement.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
      throw error_for(nullptr, failed);
  }
  if (PQpipelineSync(conn_) != 1) throw error_for(nullptr, failed);
  std::optional<PipelineFailure> failure;
  std::size_t index = 0;       // the statement whose results come now
  bool index_answered = false;  // it has sent a result; the next NULL ends it
  for (;;) {
    Result r(PQgetResult(conn_));
    if (!r.raw()) {
      // Nothing more will come: the server ended the session. Its last error
      // (terminated, crashed) was the failing statement's, if it got that far.
      if (!index_answered) {
        if (failure) return failure;
        throw error_for(nullptr, failed);
      }
      ++index;
      index_answered = false;
      continue;
    }
    const ExecStatusType status = PQresultStatus(r.raw());
    if (status == PGRES_PIPELINE_SYNC) break;
    index_answered = true;
    if (status == PGRES_FATAL_ERROR && !failure && index < statements.size())
      failure = PipelineFailure{index, error_for(r.raw(), failed)};
  }
  return failure;
}

Result Connection::query(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  if (!conn_) throw std::logic_error("use of a moved-from Connection");
  const Busy busy(*this);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                        values.empty() ? nullptr : values.data(), nullptr, nullptr, 0));
  ExecStatusType st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    throw_result_error(r.raw(), "query failed on " + label_ + " server");
  return r;
}

void Connection::cancel() noexcept {
  if (link_) link_->cancel(kHardStopDelay);
}

std::string Connection::quote_ident(const std::string& s) const {
  char* q = PQescapeIdentifier(conn_, s.c_str(), s.size());
  if (!q) throw PgError("22021", trim_right(PQerrorMessage(conn_)));
  std::string out(q);
  PQfreemem(q);
  return out;
}

std::string Connection::quote_literal(const std::string& s) const {
  char* q = PQescapeLiteral(conn_, s.c_str(), s.size());
  if (!q) throw PgError("22021", trim_right(PQerrorMessage(conn_)));
  std::string out(q);
  PQfreemem(q);
  return out;
}

// ---------------------------------------------------------------- arrays

std::vector<std::string> parse_text_array(const std::string& literal) {
  std::vector<std::string> out;
  size_t i = 0;
  // Arrays with non-default bounds print as "[0:2]={...}".
  if (!literal.empty() && literal[0] == '[') {
    size_t eq = literal.find('=');
    if (eq == std::string::npos) throw std::logic_error("malformed array literal: " + literal);
    i = eq + 1;
  }
  if (i >= literal.size() || literal[i] != '{') throw std::logic_error("malformed array literal: " + literal);
  ++i;
  if (i < literal.size() && literal[i] == '}') return out;
  while (i < literal.size()) {
    std::string elem;
    if (literal[i] == '"') {
      ++i;
      while (i < literal.size() && literal[i] != '"') {
        if (literal[i] == '\\' && i + 1 < literal.size()) ++i;
        elem += literal[i++];
      }
      ++i;  // closing quote
    } else {
      size_t start = i;
      while (i < literal.size() && literal[i] != ',' && literal[i] != '}') ++i;
      elem = literal.substr(start, i - start);
      if (elem == "NULL") elem.clear();
    }
    out.push_back(std::move(elem));
    if (i >= literal.size()) break;
    if (literal[i] == '}') return out;
    if (literal[i] != ',') throw std::logic_error("malformed array literal: " + literal);
    ++i;
  }
  throw std::logic_error("malformed array literal: " + literal);
}

}  // namespace pgclone::agent::pg
