#include "pgclone/protocol/table_patterns.h"

#include <re2/re2.h>
#include <re2/set.h>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/too_long.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::protocol {

struct TablePatterns::Compiled {
  Compiled(const re2::RE2::Options& options, std::string key) : set(options, re2::RE2::ANCHOR_BOTH), key(std::move(key)) {}
  re2::RE2::Set set;
  std::string key;
};

namespace {

[[noreturn]] void refuse(const std::string& key, const std::string& message, std::string detail = {},
                         std::string hint = {}) {
  throw OptionsError(sqlstate::kInvalidParameterValue, key, message, std::move(hint), std::move(detail));
}

std::string nth_pattern(std::size_t index, const std::string& key) {
  return "pattern " + std::to_string(index + 1) + " of option \"" + key + "\"";
}

re2::RE2::Options quiet_bounded_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);  // RE2 would print to stderr: the server log of a backend
  options.set_max_mem(kMaxPatternMemoryBytes);
  return options;
}

}  // namespace

TablePatterns::TablePatterns(const std::vector<std::string>& patterns, const std::string& key) {
  if (patterns.empty()) return;
  if (patterns.size() > kMaxPatternsPerKey) {
    refuse(key, "option \"" + key + "\" has too many patterns",
           "It has " + std::to_string(patterns.size()) + "; at most " + std::to_string(kMaxPatternsPerKey) +
               " are allowed.");
  }
  auto compiled = std::make_unique<Compiled>(quiet_bounded_options(), key);
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].size() > kMaxPatternBytes) {
      refuse(key, nth_pattern(i, key) + " is too long", too_long_detail("pattern", patterns[i].size(), kMaxPatternBytes));
    }
    std::string error;
    if (compiled->set.Add(patterns[i], &error) < 0) {
      refuse(key, "invalid regular expression in " + nth_pattern(i, key) + ": " + error);
    }
  }
  // A Set whose Compile() failed must not be kept: RE2 (2022-06) would match
  // with no program and crash.
  if (!compiled->set.Compile()) {
    refuse(key, "option \"" + key + "\" is too complex",
           "Compiled together, its patterns would need more than " +
               std::to_string(kMaxPatternMemoryBytes / 1024) + " kB.",
           "Counted repetitions such as {50} copy what they repeat; use + or * instead.");
  }
  compiled_ = std::move(compiled);
}

TablePatterns::~TablePatterns() = default;
TablePatterns::TablePatterns(TablePatterns&&) noexcept = default;
TablePatterns& TablePatterns::operator=(TablePatterns&&) noexcept = default;

bool TablePatterns::matches(std::string_view schema, std::string_view name) const {
  if (!compiled_) return false;
  std::string qualified;
  qualified.reserve(schema.size() + 1 + name.size());
  qualified.append(schema).append(".").append(name);
  for (std::string_view text : {name, std::string_view(qualified)}) {
    re2::RE2::Set::ErrorInfo error{re2::RE2::Set::kNoError};
    if (compiled_->set.Match(re2::StringPiece(text.data(), text.size()), nullptr, &error)) return true;
    if (error.kind != re2::RE2::Set::kNoError) {
      refuse(compiled_->key, "option \"" + compiled_->key + "\" needs more memory to match \"" + std::string(text) + "\"",
             "Its patterns may use " + std::to_string(kMaxPatternMemoryBytes / 1024) + " kB.");
    }
  }
  return false;
}

}  // namespace pgclone::protocol
