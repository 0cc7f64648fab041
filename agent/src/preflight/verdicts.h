#pragma once
// The judgements of pgclone.preflight() that need no server: given the
// numbers a check read, what its status and message are. Kept apart from
// the reads so every threshold is unit-tested with injected numbers.

#include <cstdint>
#include <optional>
#include <string>

namespace pgclone::agent::preflight {

enum class Status { kOk, kInfo, kWarning, kError };

// "ok", "info", "warning", "error": the JSON's words.
const char* status_name(Status status);

struct Verdict {
  Status status = Status::kOk;
  std::string message;
};

// server_version_num of both sides (e.g. 150004). A source of a newer
// major version than the target is a warning: its DDL may use syntax the
// target does not know, so the clone can fail on those objects.
Verdict judge_versions(int source_version_num, int target_version_num);

// The server's lock table holds max_locks_per_transaction × (every backend
// slot: max_connections + autovacuum_max_workers + 1 + max_worker_processes
// + max_wal_senders, plus max_prepared_transactions) locks, shared by all
// sessions (PostgreSQL 15's lock table sizing).
struct LockSettings {
  std::int64_t max_locks_per_transaction = 64;
  std::int64_t max_connections = 100;
  std::int64_t max_prepared_transactions = 0;
  std::int64_t autovacuum_max_workers = 3;
  std::int64_t max_worker_processes = 8;
  std::int64_t max_wal_senders = 10;
  std::int64_t slots() const;
};

// `needed` locks held at once by the clone's keeper transaction: more than
// the whole table is an error (the clone fails with 53200 "out of shared
// memory"); more than one transaction's share (max_locks_per_transaction)
// is a warning: it works only while other sessions leave enough free.
Verdict judge_locks(std::int64_t needed, const LockSettings& settings);

// The scope's size on the source against the free space of the filesystem
// that holds the target database; nullopt: not readable (info, never a
// guess; why_unknown says why). Above 80% of the free space is a warning:
// the clone also writes WAL and sorts while it builds indexes.
Verdict judge_space(std::int64_t needed_bytes, std::optional<std::int64_t> free_bytes,
                    const std::string& why_unknown = "");

// Database encodings (pg_encoding_to_char names).
Verdict judge_encodings(const std::string& source, const std::string& target);

// "1.5 GB" style, for messages.
std::string bytes_shown(std::int64_t bytes);

// "15.4" from 150004, "9.6.24" from 90624.
std::string version_shown(int version_num);

}  // namespace pgclone::agent::preflight
