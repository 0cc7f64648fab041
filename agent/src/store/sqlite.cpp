#include "store/sqlite.h"

#include <utility>

namespace pgclone::agent::store {

StoreError::StoreError(std::string path, const std::string& context, std::string sqlite_message,
                       int sqlite_code)
    : std::runtime_error(path + ": " + context + ": " + sqlite_message),
      path_(std::move(path)),
      sqlite_message_(std::move(sqlite_message)),
      sqlite_code_(sqlite_code) {}

// ---- Statement --------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) {
    db_->fail("binding parameter " + std::to_string(index) + " of \"" + sqlite3_sql(stmt_) + "\"",
              rc);
  }
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8),
             index);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view value) {
  // A zero-length blob with a null pointer would bind NULL; keep it a blob.
  check_bind(sqlite3_bind_blob64(stmt_, index, value.empty() ? "" : value.data(), value.size(),
                                 SQLITE_TRANSIENT),
             index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail(std::string("executing \"") + sqlite3_sql(stmt_) + "\"", rc);
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  // Text first, then its length: the documented safe order.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::column_blob(int column) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Database ---------------------------------------------------------------

Database::Database(const std::string& path, int flags) : path_(path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // Even a failed open may allocate a handle (it carries the message).
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreError(path_, "cannot open", message, rc);
  }
  // Extended codes let callers tell e.g. SQLITE_IOERR_* or SQLITE_CORRUPT apart.
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  // close_v2 defers the close if a statement is still alive instead of failing.
  sqlite3_close_v2(db_);
}

void Database::fail(const std::string& context, int rc) const {
  const int code = sqlite3_extended_errcode(db_);
  throw StoreError(path_, context, sqlite3_errmsg(db_), code != SQLITE_OK ? code : rc);
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError(path_, "executing \"" + sql + "\"", message, sqlite3_extended_errcode(db_));
  }
}

Statement Database::prepare(std::string_view sql, bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) fail("preparing \"" + std::string(sql) + "\"", rc);
  return Statement(this, stmt);
}

void Database::set_busy_timeout(int milliseconds) {
  const int rc = sqlite3_busy_timeout(db_, milliseconds);
  if (rc != SQLITE_OK) fail("setting the busy timeout", rc);
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

// ---- Transaction ------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (done_) return;
  // Best effort: a failed ROLLBACK (e.g. sqlite already rolled back after an
  // I/O error) must not throw out of a destructor.
  sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace pgclone::agent::store
