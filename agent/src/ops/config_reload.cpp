#include "ops/config_reload.h"

#include <CLI/CLI.hpp>

#include "util/log.h"

namespace pgclone::agent::ops {

void reload_log_level(const std::string& config_file) {
  if (config_file.empty()) return;
  try {
    for (const CLI::ConfigItem& item : CLI::ConfigTOML().from_file(config_file)) {
      if (item.name != "log-level" && item.name != "log_level") continue;
      const std::string value = item.inputs.empty() ? "" : item.inputs.front();
      log::Level level;
      if (!log::parse_level(value, &level)) {
        log::error("reload: ", config_file, " sets log-level to \"", value, "\"; the level stays as it was");
        return;
      }
      log::set_level(level);
      log::info("reloaded ", config_file, ": log level ", value);
      return;
    }
  } catch (const std::exception& e) {
    log::error("reload: cannot read ", config_file, ": ", e.what());
  }
}

}  // namespace pgclone::agent::ops
