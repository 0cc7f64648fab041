#pragma once
// The table patterns of the "tables" and "exclude_tables" options, compiled
// with RE2: matching takes time linear in the name, whatever the pattern
// (std::regex backtracks, and recursed deep enough on a nested pattern to
// overflow the stack of a PostgreSQL backend). Compiled once by the options
// check on both sides and again by the agent's planner, so what is accepted
// is exactly what selects.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace pgclone::protocol {

class TablePatterns {
 public:
  // Throws OptionsError (22023, naming key and the pattern's 1-based
  // position) for more than kMaxPatternsPerKey patterns, a pattern longer
  // than kMaxPatternBytes, one RE2 refuses, or one whose compiled form needs
  // more than kMaxPatternMemoryBytes.
  TablePatterns(const std::vector<std::string>& patterns, const std::string& key);
  ~TablePatterns();
  TablePatterns(TablePatterns&&) noexcept;
  TablePatterns& operator=(TablePatterns&&) noexcept;

  bool empty() const { return compiled_.empty(); }

  // Whether any pattern matches the whole bare name or the whole
  // "schema.name" (patterns are anchored at both ends).
  bool matches(std::string_view schema, std::string_view name) const;

 private:
  std::vector<std::unique_ptr<const re2::RE2>> compiled_;
};

}  // namespace pgclone::protocol
