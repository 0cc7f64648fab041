#pragma once
// Local validation of the options JSON before anything is sent to the agent
// (pure C++ behind a noexcept entry point; see agent_client.h for the rules).

namespace pgclone::extension {

struct OptionsCheck {
  bool ok;
  char sqlstate[6];     // when !ok
  const char* key;      // offending key ("" for malformed JSON); owned, valid until the next check
  const char* message;  // owned, valid until the next check
  const char* detail;   // owned, "" when none
  const char* hint;     // owned, "" when none
};

// Checks the options of a clone operation (kOperation* in agent_client.h);
// text may be null (no options). Never throws.
OptionsCheck check_clone_options(const char* text, const char* operation) noexcept;

}  // namespace pgclone::extension
