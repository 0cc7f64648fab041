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

// table_sample(): its rows argument merged into its options text as "rows";
// *merged (owned, valid until the next call) on success. Never throws.
OptionsCheck merge_sample_rows(const char* text, long long rows, const char** merged) noexcept;

}  // namespace pgclone::extension
