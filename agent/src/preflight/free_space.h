#pragma once
// The free space of the filesystem that holds the target database, when the
// agent can see it: the agent runs on the target's host and may read the
// cluster's data directory. Never a guess: otherwise nullopt.

#include <cstdint>
#include <optional>
#include <string>

#include "pg/connection.h"

namespace pgclone::agent::preflight {

struct TargetStorage {
  std::string path;                        // where the database's files go ("" when the caller may not know)
  std::optional<std::int64_t> free_bytes;  // available to the server's OS user
  std::string why_unknown;                 // when free_bytes is nullopt
};

// On the target session (acting as the caller): the data directory is shown
// only to superusers and pg_read_all_settings members, like SHOW. The
// directory is the target's own only when its postmaster.pid names the same
// directory, port and start time (within the time the postmaster takes to
// start) as the server says: another cluster at the same path and port on
// the agent's host, the usual case on another machine, would not do.
TargetStorage read_target_storage(pg::Connection& target);

// The fields of a postmaster.pid text (pid, data directory, start time,
// port: its first four lines) match these (start_epoch: the server's
// pg_postmaster_start_time()); pure, for unit tests.
bool postmaster_pid_matches(const std::string& pid_file_text, const std::string& data_directory,
                            std::int64_t start_epoch, int port);

}  // namespace pgclone::agent::preflight
