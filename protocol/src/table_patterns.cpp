#include "pgclone/protocol/table_patterns.h"

#include <re2/re2.h>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::protocol {
namespace {

[[noreturn]] void refuse(const std::string& key, const std::string& message, std::string detail = {},
                         std::string hint = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, key, message, std::move(hint), std::move(detail));
}

std::string nth_pattern(std::size_t index, const std::string& key) {
  return "pattern " + std::to_string(index + 1) + " of option \"" + key + "\"";
}

std::unique_ptr<const re2::RE2> compile(const std::string& pattern, std::size_t index, const std::string& key) {
  if (pattern.size() > kMaxPatternBytes) {
    refuse(key, nth_pattern(index, key) + " is too long", too_long_detail("pattern", pattern.size(), kMaxPatternBytes));
  }
  re2::RE2::Options options;
  options.set_log_errors(false);  // RE2 would print to stderr: the server log of a backend
  options.set_max_mem(kMaxPatternMemoryBytes);
  auto compiled = std::make_unique<const re2::RE2>(pattern, options);
  if (compiled->error_code() == re2::RE2::ErrorPatternTooLarge) {
    refuse(key, nth_pattern(index, key) + " is too complex",
           "Compiled, it would need more than " + std::to_string(kMaxPatternMemoryBytes / 1024) + " kB.",
           "Counted repetitions such as {50} copy what they repeat; use + or * instead.");
  }
  if (!compiled->ok()) {
    refuse(key, "invalid regular expression in " + nth_pattern(index, key) + ": " + compiled->error());
  }
  return compiled;
}

}  // namespace

TablePatterns::TablePatterns(const std::vector<std::string>& patterns, const std::string& key) {
  if (patterns.size() > kMaxPatternsPerKey) {
    refuse(key, "option \"" + key + "\" has too many patterns",
           "It has " + std::to_string(patterns.size()) + "; at most " + std::to_string(kMaxPatternsPerKey) +
               " are allowed.");
  }
  compiled_.reserve(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) compiled_.push_back(compile(patterns[i], i, key));
}

TablePatterns::~TablePatterns() = default;
TablePatterns::TablePatterns(TablePatterns&&) noexcept = default;
TablePatterns& TablePatterns::operator=(TablePatterns&&) noexcept = default;

bool TablePatterns::matches(std::string_view schema, std::string_view name) const {
  if (compiled_.empty()) return false;
  std::string qualified;
  qualified.reserve(schema.size() + 1 + name.size());
  qualified.append(schema).append(".").append(name);
  for (const auto& re : compiled_) {
    if (re2::RE2::FullMatch(re2::StringPiece(name.data(), name.size()), *re) ||
        re2::RE2::FullMatch(qualified, *re)) {
      return true;
    }
  }
  return false;
}

}  // namespace pgclone::protocol
