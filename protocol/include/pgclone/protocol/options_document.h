#pragma once
// The options text of every function that takes one, read into a JSON
// object with the same bounds and messages for all: at most kMaxOptionsBytes,
// nested at most kMaxOptionsDepth deep, an object. Each function then reads
// its own keys (clone_options.h, verify_options.h).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pgclone::protocol {

// Empty or all-blank text: nullopt-like JSON null ("no options"). Throws
// OptionsError (22023, key "") for text too long, too deep, malformed or not
// an object. Needs stack in proportion to neither.
nlohmann::json parse_options_document(std::string_view text);

// The "parallel" option of every job that runs workers: an integer from 1 to
// kMaxParallel (clone_options.h); OptionsError naming key otherwise.
int parallel_option(const std::string& key, const nlohmann::json& value);

}  // namespace pgclone::protocol
