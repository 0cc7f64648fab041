#include "preflight/verdicts.h"

#include <cstdio>

namespace pgclone::agent::preflight {
namespace {

// Comparable major versions: 906 for 9.6, 1500 for 15.
int major_of(int version_num) { return version_num >= 100000 ? version_num / 10000 * 100 : version_num / 100; }

}  // namespace

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kInfo: return "info";
    case Status::kWarning: return "warning";
    case Status::kError: return "error";
  }
  return "error";
}

std::string version_shown(int version_num) {
  if (version_num >= 100000) return std::to_string(version_num / 10000) + "." + std::to_string(version_num % 10000);
  return std::to_string(version_num / 10000) + "." + std::to_string(version_num / 100 % 100) + "." +
         std::to_string(version_num % 100);
}

Verdict judge_versions(int source_version_num, int target_version_num) {
  const std::string source = version_shown(source_version_num), target = version_shown(target_version_num);
  const int source_major = major_of(source_version_num), target_major = major_of(target_version_num);
  if (source_major > target_major) {
    return {Status::kWarning, "the source runs PostgreSQL " + source + ", a newer major version than the target's " +
                                  target + ": objects that use features the target lacks will fail to clone"};
  }
  if (source_major < target_major) {
    return {Status::kOk, "the source runs PostgreSQL " + source + ", the target a newer " + target};
  }
  const std::string major = source_version_num >= 100000 ? std::to_string(source_version_num / 10000)
                                                         : source.substr(0, source.rfind('.'));
  return {Status::kOk, "both sides run PostgreSQL " + major + " (source " + source +
                           ", target " + target + ")"};
}

std::int64_t LockSettings::slots() const {
  const std::int64_t backends = max_connections + autovacuum_max_workers + 1 + max_worker_processes + max_wal_senders;
  return max_locks_per_transaction * (backends + max_prepared_transactions);
}

Verdict judge_locks(std::int64_t needed, const LockSettings& settings) {
  const std::int64_t slots = settings.slots();
  const std::string counted = std::to_string(needed) + (needed == 1 ? " lock" : " locks");
  if (needed > slots) {
    return {Status::kError, "a consistent clone holds " + counted + " on the source at once, more than its lock table's " +
                                std::to_string(slots) + " (max_locks_per_transaction " +
                                std::to_string(settings.max_locks_per_transaction) +
                                "): it is likely to fail with \"out of shared memory\"; raise max_locks_per_transaction on "
                                "the source, or clone fewer tables at a time (\"tables\", \"exclude_tables\")"};
  }
  if (needed > settings.max_locks_per_transaction) {
    return {Status::kWarning, "a consistent clone holds " + counted + " on the source at once, more than "
                                  "max_locks_per_transaction (" +
                                  std::to_string(settings.max_locks_per_transaction) +
                                  "): it works only while other sessions leave enough of the lock table's " +
                                  std::to_string(slots) + " free"};
  }
  return {Status::kOk, "a consistent clone holds " + counted + " on the source; max_locks_per_transaction is " +
                           std::to_string(settings.max_locks_per_transaction)};
}

std::string bytes_shown(std::int64_t bytes) {
  static const char* const units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 5) {
    value /= 1024.0;
    ++unit;
  }
  if (unit == 0) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

Verdict judge_space(std::int64_t needed_bytes, std::optional<std::int64_t> free_bytes,
                    const std::string& why_unknown) {
  const std::string needed = "the schema takes " + bytes_shown(needed_bytes) + " on the source";
  if (!free_bytes) {
    return {Status::kInfo, needed + "; the free space on the target is unknown" +
                               (why_unknown.empty() ? std::string() : " (" + why_unknown + ")")};
  }
  const std::string free = bytes_shown(*free_bytes) + " free on the target";
  if (needed_bytes >= *free_bytes) return {Status::kError, needed + ", more than the " + free};
  if (needed_bytes > *free_bytes / 10 * 8) {
    return {Status::kWarning, needed + ", more than 80% of the " + free +
                                  " (the clone also writes WAL and sorts while it builds indexes)"};
  }
  return {Status::kOk, needed + "; " + free};
}

Verdict judge_encodings(const std::string& source, const std::string& target) {
  if (source == target) return {Status::kOk, "both databases use encoding " + source};
  if (source == "SQL_ASCII") {
    return {Status::kWarning, "the source database's encoding is SQL_ASCII (bytes nobody checked), the target's " +
                                  target + ": values that are not valid " + target + " will fail to load"};
  }
  if (target == "UTF8") {
    return {Status::kOk, "the source database's encoding " + source +
                             " is converted to the target's UTF8, which can represent every character"};
  }
  return {Status::kWarning, "the source database's encoding is " + source + ", the target's " + target +
                                ": characters " + target + " cannot represent will fail to load (22P05)"};
}

}  // namespace pgclone::agent::preflight
