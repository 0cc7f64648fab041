// The RAII sqlite wrapper under the job store. Suite names start with
// JobStore so `ctest -R JobStore` runs them with the store's own tests.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "temp_dir.h"
#include "store/sqlite.h"

namespace pgclone::agent::store {
namespace {

using testing::TempDir;

constexpr int kFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

TEST(JobStoreSqlite, BindsAndReadsEveryType) {
  TempDir dir;
  Database db(dir.file("t.db"), kFlags);
  db.exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n TEXT)");
  const std::string blob("a\0b\xff", 4);  // embedded NUL and high byte survive
  Statement insert = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  insert.bind_int64(1, INT64_MIN).bind_text(2, "héllo").bind_blob(3, blob).bind_null(4);
  EXPECT_FALSE(insert.step());
  EXPECT_EQ(db.changes(), 1);
  insert.reset();
  insert.bind_int64(1, 42).bind_text(2, "").bind_blob(3, "").bind_text(4, "x");
  insert.run();

  Statement select = db.prepare("SELECT i, s, b, n FROM t ORDER BY i");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_int64(0), INT64_MIN);
  EXPECT_EQ(select.column_text(1), "héllo");
  EXPECT_EQ(select.column_blob(2), blob);
  EXPECT_TRUE(select.column_is_null(3));
  EXPECT_EQ(select.column_text(3), "");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_int64(0), 42);
  EXPECT_FALSE(select.column_is_null(2));  // an empty blob is not NULL
  EXPECT_EQ(select.column_blob(2), "");
  EXPECT_FALSE(select.step());
}

TEST(JobStoreSqlite, ResetMakesAStatementReusable) {
  TempDir dir;
  Database db(dir.file("t.db"), kFlags);
  Statement square = db.prepare("SELECT ?1 * ?1", /*persistent=*/true);
  for (int i = 1; i <= 3; ++i) {
    ResetOnExit reset(square);
    square.bind_int64(1, i);
    ASSERT_TRUE(square.step());
    EXPECT_EQ(square.column_int64(0), i * i);
  }
}

TEST(JobStoreSqlite, ErrorsNameTheFileAndCarryTheSqliteMessage) {
  TempDir dir;
  const std::string path = dir.file("t.db");
  Database db(path, kFlags);
  try {
    db.prepare("SELEC nonsense");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(e.sqlite_message().find("syntax error"), std::string::npos) << e.what();
    EXPECT_EQ(e.sqlite_code(), SQLITE_ERROR);
  }
  db.exec("CREATE TABLE u (k INTEGER PRIMARY KEY)");
  db.exec("INSERT INTO u VALUES (1)");
  Statement dup = db.prepare("INSERT INTO u VALUES (1)");
  try {
    dup.step();
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.sqlite_code(), SQLITE_CONSTRAINT_PRIMARYKEY) << e.what();
    EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed"), std::string::npos);
  }
  EXPECT_THROW(db.exec("INSERT INTO missing VALUES (1)"), StoreError);
}

TEST(JobStoreSqlite, OpenFailureNamesThePath) {
  const std::string path = "/nonexistent-pgclone-dir/x/t.db";
  try {
    Database db(path, kFlags);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(JobStoreSqlite, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  Database db(dir.file("t.db"), kFlags);
  db.exec("CREATE TABLE t (v INTEGER)");
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (1)");
  }  // no commit: rolled back
  {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (2)");
    tx.commit();
  }
  try {
    Transaction tx(db);
    db.exec("INSERT INTO t VALUES (3)");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  Statement count = db.prepare("SELECT group_concat(v) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.column_text(0), "2");
  // The connection is usable again: no transaction left open.
  Transaction again(db);
  again.commit();
}

}  // namespace
}  // namespace pgclone::agent::store
