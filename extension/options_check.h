#pragma once
// Local validation of the options JSON before anything is sent to the agent
// (pure C++ behind a noexcept entry point; see agent_client.h for the rules).

namespace pgclone::extension {

enum class OptionsScope : int { kTable = 0, kSchema = 1, kDatabase = 2 };

struct OptionsCheck {
  bool ok;
  char sqlstate[6];     // when !ok
  const char* key;      // offending key ("" for malformed JSON); owned, valid until the next check
  const char* message;  // owned, valid until the next check
  const char* hint;     // owned, "" when none
};

// text may be null (no options). Never throws.
OptionsCheck check_clone_options(const char* text, OptionsScope scope) noexcept;

}  // namespace pgclone::extension
