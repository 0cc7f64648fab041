#include "ddl/column_settings.h"

#include <stdexcept>

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

const char* storage_keyword(char c) {
  switch (c) {
    case 'p': return "PLAIN";
    case 'e': return "EXTERNAL";
    case 'm': return "MAIN";
    case 'x': return "EXTENDED";
  }
  throw std::logic_error(std::string("unknown attstorage '") + c + "'");
}

const char* compression_keyword(char c) {
  switch (c) {
    case 'p': return "pglz";
    case 'l': return "lz4";
  }
  throw std::logic_error(std::string("unknown attcompression '") + c + "'");
}

}  // namespace

std::string options_text(const catalog::OptionList& options, const std::string& prefix) {
  std::vector<std::string> items;
  for (const auto& [name, value] : options) items.push_back(prefix + quote_ident(name) + "=" + quote_literal(value));
  return join(items);
}

std::vector<std::string> column_setting_statements(const std::string& alter_column, const ColumnSettings& settings) {
  std::vector<std::string> out;
  if (settings.storage) out.push_back(alter_column + " SET STORAGE " + storage_keyword(*settings.storage));
  if (settings.compression) out.push_back(alter_column + " SET COMPRESSION " + compression_keyword(*settings.compression));
  if (settings.statistics_target)
    out.push_back(alter_column + " SET STATISTICS " + std::to_string(*settings.statistics_target));
  if (!settings.options.empty()) out.push_back(alter_column + " SET (" + options_text(settings.options) + ")");
  return out;
}

}  // namespace pgclone::agent::ddl
