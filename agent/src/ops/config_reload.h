#pragma once
// What SIGHUP changes live besides the key files: the log level, read again
// from the --config file (the same file and syntax the agent started with).

#include <string>

namespace pgclone::agent::ops {

// Applies the config file's log-level (if it sets one); logs what it did.
// A file that cannot be read or a bad level leaves the level as it is.
void reload_log_level(const std::string& config_file);

}  // namespace pgclone::agent::ops
