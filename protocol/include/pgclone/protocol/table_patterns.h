#pragma once
// The table patterns of the "tables" and "exclude_tables" options, compiled
// with RE2: matching takes time linear in the name, whatever the pattern
// (std::regex backtracks, and recursed deep enough on a nested pattern to
// overflow the stack of a PostgreSQL backend). Compiled by the options check
// on both sides and again by the agent's planner, so what is accepted is
// exactly what selects.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgclone::protocol {

class TablePatterns {
 public:
  // The patterns of one option, compiled together into one RE2 program: its
  // memory (and the time compiling takes) is bounded per option, not per
  // pattern, so many patterns cannot add up to much. Throws OptionsError
  // (22023, naming key) for more than kMaxPatternsPerKey patterns, one longer
  // than kMaxPatternBytes or one RE2 refuses (these name the pattern's
  // 1-based position too), or patterns needing more than
  // kMaxPatternMemoryBytes together.
  TablePatterns(const std::vector<std::string>& patterns, const std::string& key);
  ~TablePatterns();
  TablePatterns(TablePatterns&&) noexcept;
  TablePatterns& operator=(TablePatterns&&) noexcept;

  bool empty() const { return compiled_ == nullptr; }

  // Whether any pattern matches the whole bare name or the whole
  // "schema.name" (patterns are anchored at both ends). Throws OptionsError
  // if RE2 runs out of its memory budget while matching, rather than guess.
  bool matches(std::string_view schema, std::string_view name) const;

 private:
  struct Compiled;
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace pgclone::protocol
