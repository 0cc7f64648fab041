#pragma once
// `pgclone-agent keygen`: CURVE key pairs for the agent and for each server
// that will talk to it.

#include <string>

#include "pgclone/protocol/key_file.h"

namespace pgclone::agent::trust {

// A fresh pair from libzmq (libsodium's randomness). Throws std::runtime_error
// when libzmq has no CURVE support.
protocol::CurveKeyPair generate_key_pair();

// Writes a key file with mode 0600, never following a symlink; an existing
// file is replaced only with overwrite. Throws std::runtime_error naming path.
void write_key_file(const std::string& path, const protocol::CurveKeyPair& pair, bool overwrite);

}  // namespace pgclone::agent::trust
