#include "pg/libpq_environment.h"

#include <cstdlib>
#include <cstring>

#include "util/log.h"

extern char** environ;

namespace pgclone::agent::pg {

std::vector<std::string> clear_libpq_environment() {
  // Names first: unsetenv() rearranges environ under our feet.
  std::vector<std::string> names;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq != nullptr && std::strncmp(*entry, "PG", 2) == 0)
      names.emplace_back(*entry, static_cast<std::size_t>(eq - *entry));
  }
  for (const std::string& name : names) unsetenv(name.c_str());
  if (!names.empty()) {
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
    log::info("ignoring environment variables ", list,
              ": connections take their settings from the connection string alone");
  }
  return names;
}

}  // namespace pgclone::agent::pg
