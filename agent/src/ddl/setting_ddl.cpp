#include "ddl/setting_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {
namespace {

// pg_dump's variable_is_guc_list_quote(): settings whose value is a list of
// names, stored with each element quoted as an identifier when needed.
bool is_list_setting(const std::string& name) {
  return name == "local_preload_libraries" || name == "search_path" || name == "session_preload_libraries" ||
         name == "shared_preload_libraries" || name == "temp_tablespaces" || name == "unix_socket_directories";
}

}  // namespace

std::string set_setting_sql(const std::string& setting) {
  const std::size_t equals = setting.find('=');
  const std::string name = setting.substr(0, equals);
  const std::string value = equals == std::string::npos ? "" : setting.substr(equals + 1);
  std::string sql = "SET " + quote_ident(name) + " TO ";
  if (!is_list_setting(name)) return sql + quote_literal(value);
  std::vector<std::string> literals;
  for (const std::string& item : split_setting_list(value)) literals.push_back(quote_literal(item));
  // An empty list is stored as "" (one empty element) by SET x TO ''.
  return sql + (literals.empty() ? "''" : join(literals));
}

std::vector<std::string> split_setting_list(const std::string& value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  auto skip_blanks = [&] {
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t' || value[pos] == '\n' || value[pos] == '\r')) ++pos;
  };
  skip_blanks();
  if (pos >= value.size()) return out;
  while (true) {
    std::string item;
    if (value[pos] == '"') {
      ++pos;
      while (pos < value.size()) {
        if (value[pos] == '"') {
          if (pos + 1 < value.size() && value[pos + 1] == '"') {
            item += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        item += value[pos++];
      }
    } else {
      while (pos < value.size() && value[pos] != ',') item += value[pos++];
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.pop_back();
    }
    out.push_back(item);
    skip_blanks();
    if (pos >= value.size() || value[pos] != ',') break;
    ++pos;
    skip_blanks();
  }
  return out;
}

}  // namespace pgclone::agent::ddl
