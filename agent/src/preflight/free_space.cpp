#include "preflight/free_space.h"

#include <sys/statvfs.h>

#include <fstream>
#include <sstream>

namespace pgclone::agent::preflight {
namespace {

constexpr std::int64_t kStartLagSeconds = 120;

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string text(4096, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

bool postmaster_pid_matches(const std::string& pid_file_text, const std::string& data_directory,
                            std::int64_t start_epoch, int port) {
  std::istringstream lines(pid_file_text);
  std::string pid, directory, start, port_text;
  if (!std::getline(lines, pid) || !std::getline(lines, directory) || !std::getline(lines, start) ||
      !std::getline(lines, port_text)) {
    return false;
  }
  try {
    // The pid file's time is taken a little before pg_postmaster_start_time()
    // (shared memory is set up in between).
    const std::int64_t lag = start_epoch - std::stoll(start);
    return directory == data_directory && lag >= 0 && lag <= kStartLagSeconds && std::stoi(port_text) == port;
  } catch (const std::exception&) {
    return false;
  }
}

TargetStorage read_target_storage(pg::Connection& target) {
  TargetStorage storage;
  const pg::Result r = target.query(
      "SELECT (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'data_directory') AS data_directory,"
      " pg_catalog.pg_tablespace_location(d.dattablespace) AS tablespace,"
      " pg_catalog.current_setting('port')::int AS port,"
      " pg_catalog.date_part('epoch', pg_catalog.pg_postmaster_start_time())::bigint AS started"
      " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()");
  const std::optional<std::string> data_directory = r.get_optional(0, "data_directory");
  if (!data_directory) {
    storage.why_unknown = "the calling role may not see the target's data directory";
    return storage;
  }
  const std::string tablespace = r.get(0, "tablespace");
  storage.path = tablespace.empty() ? *data_directory + "/base" : tablespace;
  const std::optional<std::string> pid_file = read_small_file(*data_directory + "/postmaster.pid");
  if (!pid_file ||
      !postmaster_pid_matches(*pid_file, *data_directory, r.get_int(0, "started"), static_cast<int>(r.get_int(0, "port")))) {
    storage.why_unknown = "the agent does not run on the target's host or may not read its data directory";
    return storage;
  }
  struct statvfs fs {};
  if (statvfs(storage.path.c_str(), &fs) != 0) {
    storage.why_unknown = "the agent may not read " + storage.path;
    return storage;
  }
  storage.free_bytes = static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
  return storage;
}

}  // namespace pgclone::agent::preflight
