#pragma once
// The agent's masking key: what makes hash and pseudonym irreversible by
// dictionary while keeping them deterministic (the same input gives the same
// output in every table, job and run with the same key). It lives in a file of
// the agent's (--mask-key, created on first start when missing) and reaches a
// source server only inside the startup packet of the job's own sessions, as
// HMAC-SHA-256's padded keys: never in a statement, a log line, the job store
// or the target.

#include <string>

namespace pgclone::agent::mask {

class MaskKey {
 public:
  // Reads the key file (64 hex digits, mode 0600), creating it with a fresh
  // random key when it does not exist. Throws std::runtime_error naming the
  // path and the reason, never the key.
  static MaskKey load_or_create(const std::string& path);
  // For tests.
  static MaskKey from_hex(const std::string& hex);

  // HMAC-SHA-256's inner and outer padded keys (64 bytes each), hex.
  const std::string& inner_hex() const { return inner_hex_; }
  const std::string& outer_hex() const { return outer_hex_; }

 private:
  std::string inner_hex_, outer_hex_;
};

// The key every job uses; installed once at start, before any job runs.
void install_mask_key(const MaskKey& key);
bool mask_key_installed();

// The libpq "options" value of a source session that evaluates keyed masks:
// the conninfo's own options followed by the two key settings. Throws
// std::logic_error when no key is installed.
std::string options_with_mask_key(const std::string& conninfo_options);

}  // namespace pgclone::agent::mask
