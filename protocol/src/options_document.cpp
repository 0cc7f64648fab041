#include "pgclone/protocol/options_document.h"

#include <string>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/too_long.h"

namespace pgclone::protocol {
namespace {

[[noreturn]] void invalid(const std::string& message, std::string detail = {}, const std::string& key = "") {
  throw OptionsError(sqlstate::kInvalidParameterValue, key, message, {}, std::move(detail));
}

}  // namespace

nlohmann::json parse_options_document(std::string_view text) {
  using nlohmann::json;
  if (text.size() > kMaxOptionsBytes) {
    invalid("options are too long", too_long_detail("options text", text.size(), kMaxOptionsBytes));
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return json();

  // nlohmann's parser and destructor keep stacks of their own, but copying or
  // dumping a value recurses: refuse a deep document while it is being read.
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t event, json&) {
    const bool opens = event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && depth >= kMaxOptionsDepth) {
      invalid("options are nested too deeply",
              "Arrays and objects may nest at most " + std::to_string(kMaxOptionsDepth) + " levels deep.");
    }
    return true;
  };
  json document;
  try {
    document = json::parse(text.begin(), text.end(), limit_depth);
  } catch (const json::parse_error& e) {
    // nlohmann's what() starts with "[json.exception.parse_error.101] "; keep the rest.
    std::string reason = e.what();
    const std::size_t bracket = reason.find("] ");
    if (bracket != std::string::npos) reason = reason.substr(bracket + 2);
    invalid("invalid options JSON: " + reason);
  }
  if (!document.is_object()) invalid("invalid options JSON: expected an object");
  return document;
}

int parallel_option(const std::string& key, const nlohmann::json& value) {
  if (!value.is_number_integer()) invalid("option \"" + key + "\" must be an integer", {}, key);
  const long long n = value.get<long long>();
  if (n < 1 || n > kMaxParallel) {
    invalid("option \"" + key + "\" must be between 1 and " + std::to_string(kMaxParallel), {}, key);
  }
  return static_cast<int>(n);
}

}  // namespace pgclone::protocol
