#include "ddl/name_adapter.h"

namespace pgclone::agent::ddl {

std::string truncate_identifier(const std::string& name, std::size_t max_bytes) {
  if (name.size() <= max_bytes) return name;
  std::size_t cut = max_bytes;
  // Back off over continuation bytes (10xxxxxx) to the start of a character.
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut);
}

std::string adapt_name(const std::string& name, const std::string& source_table, const std::string& target_table) {
  bool has_prefix = name.compare(0, source_table.size(), source_table) == 0 &&
                    (name.size() == source_table.size() || name[source_table.size()] == '_');
  std::string adapted = has_prefix ? target_table + name.substr(source_table.size()) : target_table + "_" + name;
  return truncate_identifier(adapted);
}

std::string make_unique_name(const std::string& base, const std::set<std::string>& taken) {
  std::string candidate = truncate_identifier(base);
  if (taken.count(candidate) == 0) return candidate;
  for (unsigned long n = 1;; ++n) {
    std::string suffix = std::to_string(n);
    candidate = truncate_identifier(base, kMaxIdentifierBytes - suffix.size()) + suffix;
    if (taken.count(candidate) == 0) return candidate;
  }
}

}  // namespace pgclone::agent::ddl
