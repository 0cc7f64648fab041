// Pure C++: wraps protocol::parse_clone_options for the PostgreSQL frame.
#include "cxx_only.h"

#include "options_check.h"

#include "agent_client.h"

#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/sample_options.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/verify_options.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

// Results live on PostgreSQL stack frames, which longjmp may abandon.
static_assert(std::is_trivially_destructible_v<OptionsCheck> && std::is_trivially_copyable_v<OptionsCheck>,
              "OptionsCheck crosses into the PostgreSQL frame: no destructors allowed");

struct Storage {
  std::string merged;
  std::string key;
  std::string message;
  std::string detail;
  std::string hint;
};

Storage* storage() {
  static Storage* instance = new Storage();  // never destroyed
  return instance;
}

OptionsCheck failed(const std::string& sqlstate, const std::string& key, const std::string& message,
                    const std::string& detail, const std::string& hint) {
  Storage* s = storage();
  s->key = key;
  s->message = message;
  s->detail = detail;
  s->hint = hint;
  OptionsCheck check;
  check.ok = false;
  std::memset(check.sqlstate, 0, sizeof check.sqlstate);
  std::strncpy(check.sqlstate, sqlstate.c_str(), 5);
  check.key = s->key.c_str();
  check.message = s->message.c_str();
  check.detail = s->detail.c_str();
  check.hint = s->hint.c_str();
  return check;
}

OptionsCheck passed() {
  OptionsCheck check;
  check.ok = true;
  std::memset(check.sqlstate, 0, sizeof check.sqlstate);
  check.key = check.message = check.detail = check.hint = "";
  return check;
}

// Runs fn, turning whatever it throws into a failed check: nothing escapes
// into the PostgreSQL frame.
template <typename Fn>
OptionsCheck guarded(Fn&& fn) noexcept {
  try {
    fn();
    return passed();
  } catch (const proto::OptionsError& e) {
    try {
      return failed(e.sqlstate, e.key, e.what(), e.detail, e.hint);
    } catch (...) {
    }
  } catch (const std::exception& e) {
    try {
      return failed(proto::sqlstate::kInternalError, "", std::string("internal error in pgclone: ") + e.what(), "",
                    "");
    } catch (...) {
    }
  } catch (...) {
  }
  OptionsCheck check;
  check.ok = false;
  std::memcpy(check.sqlstate, "XX000", 6);
  check.key = check.detail = check.hint = "";
  check.message = "internal error in pgclone: out of memory while checking options";
  return check;
}

}  // namespace

OptionsCheck check_clone_options(const char* text, const char* operation) noexcept {
  return guarded([&] {
    // verify takes options of its own (verify_options.h).
    if (std::strcmp(operation, kOperationVerify) == 0) {
      if (text != nullptr) proto::parse_verify_options(text);
      return;
    }
    const std::optional<proto::CloneScope> scope = proto::scope_for_operation(operation);
    if (!scope) {
      throw std::logic_error(std::string("unknown clone operation ") + operation);
    }
    if (text != nullptr) proto::parse_clone_options(text, *scope);
  });
}

OptionsCheck merge_sample_rows(const char* text, long long rows, const char** merged) noexcept {
  return guarded([&] {
    Storage* s = storage();
    s->merged = proto::options_with_rows(text == nullptr ? "" : text, rows);
    *merged = s->merged.c_str();
  });
}

}  // namespace pgclone::extension
