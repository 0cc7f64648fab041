#include "store/job_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iterator>

#include "pgclone/protocol/codec.h"

namespace pgclone::agent::store {
namespace {

// Schema migrations: kMigrations[v] takes the schema from version v to v + 1,
// all inside one transaction with the schema_version update. Never edit a
// released entry; append a new one (e.g. "ALTER TABLE jobs ADD COLUMN x
// INTEGER NOT NULL DEFAULT 0") and read the new column in load_all.
//
// Errors are columns rather than a blob so jobs.db stays readable with the
// sqlite3 shell. No index on status: mark_interrupted runs once per start and
// delete_finished rarely; a scan of a few thousand rows costs microseconds.
// tasks/checkpoints are keyed by (job_id, ...), which is also the index the
// ON DELETE CASCADE lookups use.
const char* const kMigrations[] = {
    // 0 -> 1: initial schema.
    R"sql(
CREATE TABLE jobs (
  id               INTEGER PRIMARY KEY,
  owner            TEXT    NOT NULL,
  request          BLOB    NOT NULL,  -- msgpack CloneRequest (holds passwords)
  status           TEXT    NOT NULL,
  phase            TEXT    NOT NULL DEFAULT '',
  current_table    TEXT    NOT NULL DEFAULT '',
  tables_total     INTEGER NOT NULL DEFAULT 0,
  tables_completed INTEGER NOT NULL DEFAULT 0,
  rows_copied      INTEGER NOT NULL DEFAULT 0,
  bytes_copied     INTEGER NOT NULL DEFAULT 0,
  bytes_total      INTEGER NOT NULL DEFAULT 0,
  created_ms       INTEGER NOT NULL DEFAULT 0,
  started_ms       INTEGER NOT NULL DEFAULT 0,
  finished_ms      INTEGER NOT NULL DEFAULT 0,
  result_text      TEXT    NOT NULL DEFAULT '',
  error_sqlstate   TEXT    NOT NULL DEFAULT '',
  error_message    TEXT    NOT NULL DEFAULT '',
  error_detail     TEXT    NOT NULL DEFAULT '',
  error_hint       TEXT    NOT NULL DEFAULT '',
  error_context    TEXT    NOT NULL DEFAULT '',
  resumed_from     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tasks (
  job_id  INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  task_id TEXT    NOT NULL,
  rows    INTEGER NOT NULL,
  bytes   INTEGER NOT NULL,
  done_ms INTEGER NOT NULL,
  PRIMARY KEY (job_id, task_id)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
  job_id  INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name    TEXT    NOT NULL,
  done_ms INTEGER NOT NULL,
  PRIMARY KEY (job_id, name)
) WITHOUT ROWID;
-- Highest job id ever handed out: ids are never reused, even once the jobs
-- holding them are cleared (the extension may still remember an old id).
CREATE TABLE id_sequence (last_id INTEGER NOT NULL);
INSERT INTO id_sequence VALUES (0);
)sql",
    // 1 -> 2: owners are verified principals (server, database OID, role OID),
    // no longer role names a request claimed; requests are protocol 2. Jobs
    // of an agent without authentication cannot be attributed: they go.
    R"sql(
DELETE FROM jobs;
ALTER TABLE jobs ADD COLUMN owner_server       TEXT    NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN owner_database_oid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN owner_database     TEXT    NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN owner_role_oid     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN owner_superuser    INTEGER NOT NULL DEFAULT 0;
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

constexpr int kBusyTimeoutMs = 5000;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Checked here rather than by a CHECK constraint, which sqlite cannot alter
// when a later version adds a status.
void check_status(const std::string& path, const std::string& status) {
  for (const char* known : {kStatusPending, kStatusRunning, kStatusCompleted, kStatusFailed,
                            kStatusCancelled, kStatusInterrupted}) {
    if (status == known) return;
  }
  throw StoreError(path, "storing a job", "unknown job status \"" + status + "\"", SQLITE_MISUSE);
}

// Creates the file ourselves, before sqlite does, so it is 0600 from its first
// byte (sqlite would use 0644 & ~umask). sqlite gives the -wal and -shm files
// the mode of the database file, so they follow. O_NOFOLLOW: a symlink planted
// in the state directory must not redirect where passwords are written.
std::string prepare_file(const std::string& state_dir) {
  const std::string path = (std::filesystem::path(state_dir) / "jobs.db").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw StoreError(path, "cannot create the job store", std::strerror(errno), SQLITE_CANTOPEN);
  // An existing file may predate this rule or have been copied in loosely.
  const int rc = ::fchmod(fd, 0600);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) throw StoreError(path, "cannot chmod the job store to 0600", std::strerror(saved), SQLITE_PERM);
  return path;
}

int open_flags() {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;  // we lock ourselves
#ifdef SQLITE_OPEN_NOFOLLOW
  flags |= SQLITE_OPEN_NOFOLLOW;
#endif
  return flags;
}

protocol::ErrorInfo read_error(const Statement& row, int first) {
  protocol::ErrorInfo error;
  error.sqlstate = row.column_text(first);
  error.message = row.column_text(first + 1);
  error.detail = row.column_text(first + 2);
  error.hint = row.column_text(first + 3);
  error.context = row.column_text(first + 4);
  return error;
}

void bind_error(Statement& statement, int first, const protocol::ErrorInfo& error) {
  statement.bind_text(first, error.sqlstate)
      .bind_text(first + 1, error.message)
      .bind_text(first + 2, error.detail)
      .bind_text(first + 3, error.hint)
      .bind_text(first + 4, error.context);
}

}  // namespace

JobStore::JobStore(const std::string& state_dir) : db_(prepare_file(state_dir), open_flags()) {
  try {
    open_and_migrate();
  } catch (const StoreError& e) {
    const int primary = e.sqlite_code() & 0xff;
    if (primary != SQLITE_NOTADB && primary != SQLITE_CORRUPT) throw;
    throw StoreError(e.path(),
                     "not a usable pgclone job store (move the file aside to start with an empty "
                     "one; its jobs are then forgotten)",
                     e.sqlite_message(), e.sqlite_code());
  }
  update_progress_ = db_.prepare(
      "UPDATE jobs SET phase = ?2, current_table = ?3, tables_total = ?4, tables_completed = ?5, "
      "rows_copied = ?6, bytes_copied = ?7, bytes_total = ?8 WHERE id = ?1",
      /*persistent=*/true);
  record_task_ = db_.prepare(
      "INSERT INTO tasks (job_id, task_id, rows, bytes, done_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (job_id, task_id) DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes, "
      "done_ms = excluded.done_ms",
      /*persistent=*/true);
}

void JobStore::open_and_migrate() {
  // Waits out a sqlite3 shell an operator left holding a lock, rather than failing at once.
  db_.set_busy_timeout(kBusyTimeoutMs);

  // WAL + synchronous=NORMAL survives any crash of the *process*, kill -9
  // included: a commit returns only after its frames were write()n to the WAL
  // file, i.e. they are in the kernel's page cache, which outlives the process
  // and is written back regardless; the next open replays the WAL. NORMAL only
  // skips the fsync per commit (WAL is synced at checkpoints), so a power loss
  // or kernel crash may lose the last few commits -- never corrupt the file --
  // which resume tolerates (a task not marked done is simply redone). FULL
  // would cost an fsync on every progress heartbeat.
  Statement journal = db_.prepare("PRAGMA journal_mode=WAL");
  const std::string mode = journal.step() ? journal.column_text(0) : std::string();
  journal = Statement();
  if (mode != "wal") {
    throw StoreError(db_.path(), "enabling WAL", "journal_mode stayed \"" + mode + "\"", SQLITE_ERROR);
  }
  db_.exec("PRAGMA synchronous=NORMAL");
  // Off by default in sqlite; tasks and checkpoints rely on ON DELETE CASCADE.
  // Must be set outside a transaction.
  db_.exec("PRAGMA foreign_keys=ON");

  Transaction tx(db_);
  db_.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  Statement read = db_.prepare("SELECT version FROM schema_version");
  int version = 0;
  const bool have_row = read.step();
  if (have_row) version = static_cast<int>(read.column_int64(0));
  read = Statement();
  if (version > kSchemaVersion) {
    throw StoreError(db_.path(), "cannot use the job store",
                     "it has schema version " + std::to_string(version) +
                         " from a newer pgclone-agent; this one knows up to " +
                         std::to_string(kSchemaVersion),
                     SQLITE_ERROR);
  }
  for (int v = version; v < kSchemaVersion; ++v) db_.exec(kMigrations[v]);
  if (!have_row) {
    db_.prepare("INSERT INTO schema_version (version) VALUES (?1)").bind_int64(1, kSchemaVersion).run();
  } else if (version != kSchemaVersion) {
    db_.prepare("UPDATE schema_version SET version = ?1").bind_int64(1, kSchemaVersion).run();
  }
  tx.commit();
}

std::int64_t JobStore::next_job_id() {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_);
  // max() with the jobs table too, in case a row was ever inserted around the sequence.
  Statement read = db_.prepare(
      "SELECT max((SELECT last_id FROM id_sequence), (SELECT coalesce(max(id), 0) FROM jobs)) + 1");
  read.step();
  const std::int64_t id = read.column_int64(0);
  read = Statement();
  db_.prepare("UPDATE id_sequence SET last_id = ?1").bind_int64(1, id).run();
  tx.commit();
  return id;
}

void JobStore::insert(const JobRecord& job) {
  if (job.id <= 0) {
    throw StoreError(db_.path(), "storing a job", "job id must be positive, got " + std::to_string(job.id),
                     SQLITE_MISUSE);
  }
  check_status(db_.path(), job.status);
  const std::string request = protocol::pack_payload(job.request);
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_);
  Statement insert = db_.prepare(
      "INSERT INTO jobs (id, owner, request, status, phase, current_table, tables_total, "
      "tables_completed, rows_copied, bytes_copied, bytes_total, created_ms, started_ms, "
      "finished_ms, result_text, error_sqlstate, error_message, error_detail, error_hint, "
      "error_context, resumed_from, owner_server, owner_database_oid, owner_database, "
      "owner_role_oid, owner_superuser) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)");
  insert.bind_int64(1, job.id)
      .bind_text(2, job.owner.role)
      .bind_blob(3, request)
      .bind_text(4, job.status)
      .bind_text(5, job.phase)
      .bind_text(6, job.current_table)
      .bind_int64(7, job.tables_total)
      .bind_int64(8, job.tables_completed)
      .bind_int64(9, job.rows_copied)
      .bind_int64(10, job.bytes_copied)
      .bind_int64(11, job.bytes_total)
      .bind_int64(12, job.created_ms)
      .bind_int64(13, job.started_ms)
      .bind_int64(14, job.finished_ms)
      .bind_text(15, job.result_text);
  bind_error(insert, 16, job.error);
  insert.bind_int64(21, job.resumed_from)
      .bind_text(22, job.owner.server)
      .bind_int64(23, job.owner.database_oid)
      .bind_text(24, job.owner.database)
      .bind_int64(25, job.owner.role_oid)
      .bind_int64(26, job.owner.is_superuser ? 1 : 0);
  insert.run();
  db_.prepare("UPDATE id_sequence SET last_id = max(last_id, ?1)").bind_int64(1, job.id).run();
  tx.commit();
}

void JobStore::update_progress(std::int64_t id, const protocol::JobProgress& progress,
                               std::int64_t bytes_total) {
  std::lock_guard<std::mutex> lock(mutex_);
  ResetOnExit reset(update_progress_);
  update_progress_.bind_int64(1, id)
      .bind_text(2, progress.phase)
      .bind_text(3, progress.current_table)
      .bind_int64(4, progress.tables_total)
      .bind_int64(5, progress.tables_completed)
      .bind_int64(6, progress.rows_copied)
      .bind_int64(7, progress.bytes_copied)
      .bind_int64(8, bytes_total);
  // An unknown id updates nothing, silently: a last heartbeat may race with
  // clear_jobs() deleting the finished job.
  update_progress_.run();
}

void JobStore::update_status(std::int64_t id, const std::string& status, std::int64_t started_ms,
                             std::int64_t finished_ms, const std::string& result_text,
                             const protocol::ErrorInfo& error) {
  check_status(db_.path(), status);
  std::lock_guard<std::mutex> lock(mutex_);
  Statement update = db_.prepare(
      "UPDATE jobs SET status = ?2, "
      "started_ms = CASE WHEN ?3 = 0 THEN started_ms ELSE ?3 END, "
      "finished_ms = CASE WHEN ?4 = 0 THEN finished_ms ELSE ?4 END, "
      "result_text = ?5, error_sqlstate = ?6, error_message = ?7, error_detail = ?8, "
      "error_hint = ?9, error_context = ?10 WHERE id = ?1");
  update.bind_int64(1, id).bind_text(2, status).bind_int64(3, started_ms).bind_int64(4, finished_ms);
  update.bind_text(5, result_text);
  bind_error(update, 6, error);
  update.run();
  if (db_.changes() == 0) {
    throw StoreError(db_.path(), "updating job " + std::to_string(id), "no such job", SQLITE_NOTFOUND);
  }
}

std::vector<JobRecord> JobStore::load_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select = db_.prepare(
      "SELECT id, owner, request, status, phase, current_table, tables_total, tables_completed, "
      "rows_copied, bytes_copied, bytes_total, created_ms, started_ms, finished_ms, result_text, "
      "error_sqlstate, error_message, error_detail, error_hint, error_context, resumed_from, "
      "owner_server, owner_database_oid, owner_database, owner_role_oid, owner_superuser "
      "FROM jobs ORDER BY id");
  std::vector<JobRecord> jobs;
  while (select.step()) {
    JobRecord job;
    job.id = select.column_int64(0);
    job.owner.role = select.column_text(1);
    try {
      // Same limits as the wire; extra trailing fields from a newer agent are ignored.
      job.request = protocol::unpack_limited(select.column_blob(2)).get().as<protocol::CloneRequest>();
    } catch (const std::exception& e) {
      throw StoreError(db_.path(), "reading the request of job " + std::to_string(job.id), e.what(),
                       SQLITE_CORRUPT);
    }
    job.status = select.column_text(3);
    job.phase = select.column_text(4);
    job.current_table = select.column_text(5);
    job.tables_total = select.column_int64(6);
    job.tables_completed = select.column_int64(7);
    job.rows_copied = select.column_int64(8);
    job.bytes_copied = select.column_int64(9);
    job.bytes_total = select.column_int64(10);
    job.created_ms = select.column_int64(11);
    job.started_ms = select.column_int64(12);
    job.finished_ms = select.column_int64(13);
    job.result_text = select.column_text(14);
    job.error = read_error(select, 15);
    job.resumed_from = select.column_int64(20);
    job.owner.server = select.column_text(21);
    job.owner.database_oid = select.column_int64(22);
    job.owner.database = select.column_text(23);
    job.owner.role_oid = select.column_int64(24);
    job.owner.is_superuser = select.column_int64(25) != 0;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

int JobStore::mark_interrupted() {
  std::lock_guard<std::mutex> lock(mutex_);
  db_.prepare("UPDATE jobs SET status = 'interrupted', finished_ms = ?1 "
              "WHERE status IN ('pending', 'running')")
      .bind_int64(1, now_ms())
      .run();
  return static_cast<int>(db_.changes());
}

void JobStore::record_task_done(std::int64_t job_id, const std::string& task_id, std::int64_t rows,
                                std::int64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  ResetOnExit reset(record_task_);
  record_task_.bind_int64(1, job_id).bind_text(2, task_id).bind_int64(3, rows).bind_int64(4, bytes);
  record_task_.bind_int64(5, now_ms());
  record_task_.run();  // an unknown job fails the foreign key: StoreError
}

std::set<std::string> JobStore::done_tasks(std::int64_t job_id) {
  return names_of_job("SELECT task_id FROM tasks WHERE job_id = ?1", job_id);
}

std::set<std::string> JobStore::names_of_job(const char* sql, std::int64_t job_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select = db_.prepare(sql);
  select.bind_int64(1, job_id);
  std::set<std::string> names;
  while (select.step()) names.insert(select.column_text(0));
  return names;
}

void JobStore::record_checkpoint(std::int64_t job_id, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Keeps the first time a checkpoint was reached.
  db_.prepare("INSERT OR IGNORE INTO checkpoints (job_id, name, done_ms) VALUES (?1, ?2, ?3)")
      .bind_int64(1, job_id)
      .bind_text(2, name)
      .bind_int64(3, now_ms())
      .run();
}

std::set<std::string> JobStore::checkpoints(std::int64_t job_id) {
  return names_of_job("SELECT name FROM checkpoints WHERE job_id = ?1", job_id);
}

void JobStore::inherit_progress(std::int64_t from, std::int64_t to) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_);
  // Checked explicitly: with nothing to copy, a missing job would pass unnoticed.
  for (std::int64_t id : {from, to}) {
    Statement exists = db_.prepare("SELECT 1 FROM jobs WHERE id = ?1");
    if (!exists.bind_int64(1, id).step()) {
      throw StoreError(db_.path(), "inheriting progress from job " + std::to_string(from) +
                                       " to job " + std::to_string(to),
                       "job " + std::to_string(id) + " does not exist", SQLITE_NOTFOUND);
    }
  }
  // OR IGNORE: what `to` already recorded itself stays as it is.
  db_.prepare("INSERT OR IGNORE INTO tasks (job_id, task_id, rows, bytes, done_ms) "
              "SELECT ?2, task_id, rows, bytes, done_ms FROM tasks WHERE job_id = ?1")
      .bind_int64(1, from)
      .bind_int64(2, to)
      .run();
  db_.prepare("INSERT OR IGNORE INTO checkpoints (job_id, name, done_ms) "
              "SELECT ?2, name, done_ms FROM checkpoints WHERE job_id = ?1")
      .bind_int64(1, from)
      .bind_int64(2, to)
      .run();
  tx.commit();
}

void JobStore::forget_progress(std::int64_t job_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction tx(db_);
  db_.prepare("DELETE FROM tasks WHERE job_id = ?1").bind_int64(1, job_id).run();
  db_.prepare("DELETE FROM checkpoints WHERE job_id = ?1").bind_int64(1, job_id).run();
  tx.commit();
}

int JobStore::delete_finished(const jobs::JobOwner& caller) {
  std::lock_guard<std::mutex> lock(mutex_);
  // One statement, one transaction: the cascade removes tasks and checkpoints with their job.
  db_.prepare("DELETE FROM jobs WHERE (status IN ('completed', 'failed', 'cancelled') "
              "OR (status = 'interrupted' AND id IN (SELECT resumed_from FROM jobs))) "
              "AND owner_server = ?1 "
              "AND (?2 OR (owner_database_oid = ?3 AND owner_role_oid = ?4))")
      .bind_text(1, caller.server)
      .bind_int64(2, caller.is_superuser ? 1 : 0)
      .bind_int64(3, caller.database_oid)
      .bind_int64(4, caller.role_oid)
      .run();
  return static_cast<int>(db_.changes());
}

void JobStore::forget(std::int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  db_.prepare("DELETE FROM jobs WHERE id = ?1").bind_int64(1, id).run();
}

}  // namespace pgclone::agent::store
