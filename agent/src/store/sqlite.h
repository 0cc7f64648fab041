#pragma once
// A small RAII layer over the sqlite3 C API: handles that close themselves,
// errors as exceptions that name the database file, and a transaction guard
// that rolls back unless committed. Not thread-safe by itself: the owner of a
// Database (e.g. JobStore) serialises every use of it and its statements.

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pgclone::agent::store {

// Any failure of the store. what() reads "<path>: <context>: <sqlite message>"
// so an operator sees which file is at fault.
class StoreError : public std::runtime_error {
 public:
  StoreError(std::string path, const std::string& context, std::string sqlite_message,
             int sqlite_code = SQLITE_ERROR);
  const std::string& path() const { return path_; }
  const std::string& sqlite_message() const { return sqlite_message_; }
  int sqlite_code() const { return sqlite_code_; }  // extended result code

 private:
  std::string path_;
  std::string sqlite_message_;
  int sqlite_code_;
};

class Database;

// One prepared statement. Parameter indexes start at 1, columns at 0 (as in
// sqlite). Bound text and blobs are copied (SQLITE_TRANSIENT), so arguments
// need not outlive the call.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind_int64(int index, std::int64_t value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view value);
  Statement& bind_null(int index);

  // Returns true when a row is available, false when the statement is done.
  bool step();
  // Steps to the end (for statements that return no rows).
  void run();
  // Makes the statement reusable: resets it and clears its bindings. Never
  // throws (sqlite3_reset only repeats the error of the last step).
  void reset() noexcept;

  std::int64_t column_int64(int column) const;
  std::string column_text(int column) const;  // NULL reads as ""
  std::string column_blob(int column) const;  // NULL reads as ""
  bool column_is_null(int column) const;

  bool valid() const { return stmt_ != nullptr; }

 private:
  friend class Database;
  Statement(const Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void check_bind(int rc, int index);

  const Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a (usually long-lived) statement when the scope ends, also when a
// step throws, so a failed statement never keeps a read snapshot open.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) : statement_(statement) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() { statement_.reset(); }

 private:
  Statement& statement_;
};

class Database {
 public:
  // flags: SQLITE_OPEN_* (e.g. READWRITE | CREATE | NOMUTEX).
  Database(const std::string& path, int flags);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  void exec(const std::string& sql);
  // persistent: hint that the statement is kept and reused for a long time.
  Statement prepare(std::string_view sql, bool persistent = false);
  void set_busy_timeout(int milliseconds);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Throws a StoreError with the connection's current error message.
  [[noreturn]] void fail(const std::string& context, int rc) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so a transaction that reads
// then writes cannot fail half-way with SQLITE_BUSY on lock upgrade.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();  // ROLLBACK unless committed
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace pgclone::agent::store
