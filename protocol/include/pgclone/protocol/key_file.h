#pragma once
// CURVE key pairs on disk, for the agent (its own pair) and for each enrolled
// PostgreSQL server (the file named by the superuser-only pgclone.key_file).
// A key file is JSON: {"public_key": "<Z85>", "secret_key": "<Z85>"}; it must
// be readable by its owner only, because whoever reads it can speak as that
// server (or as the agent).

#include <stdexcept>
#include <string>
#include <string_view>

namespace pgclone::protocol {

// ZeroMQ's Z85 text form of a 32-byte CURVE key.
inline constexpr std::size_t kCurveKeyLength = 40;

struct CurveKeyPair {
  std::string public_key;
  std::string secret_key;
};

struct KeyFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// True when text is 40 characters of the Z85 alphabet.
bool is_curve_key(std::string_view text);

// Reads and checks a key file. Throws KeyFileError naming the path and the
// reason (unreadable, not JSON, a key missing or malformed, or readable by
// group or others). The secret never appears in a message.
CurveKeyPair read_key_file(const std::string& path);

// The text of a key file for pair.
std::string key_file_text(const CurveKeyPair& pair);

}  // namespace pgclone::protocol
