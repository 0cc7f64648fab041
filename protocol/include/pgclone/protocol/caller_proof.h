#pragma once
// How a calling backend proves to the agent who it is, without the agent
// believing any name it is told.
//
// For each request the backend draws 32 random bytes (the proof, sent hex
// encoded over the authenticated channel) and, until the request is answered,
// holds two transaction-level advisory locks in its database:
//   A: (classid, objid, objsubid) = (key1, key2, kProofLockA)
//   B: (classid, objid, objsubid) = (key3, OID of current_user, kProofLockB)
// where key1..key3 are the first three big-endian 32-bit words of
// SHA-256(proof bytes). The agent, logged in to that database with its own
// role, hashes the proof, finds the one backend holding both locks in
// pg_locks, and reads that role's rolsuper itself.
//
// Anyone may read pg_locks, but only the hash is there: the proof itself
// travels only inside the CURVE-encrypted request. objsubid values 1 and 2 are
// what pg_advisory_lock() uses, so SQL cannot take (or fake) these locks; only
// the extension's C code can.

#include <cstdint>

namespace pgclone::protocol {

inline constexpr int kProofBytes = 32;
inline constexpr int kProofHexLength = 2 * kProofBytes;
inline constexpr std::uint16_t kProofLockA = 28771;  // 0x7063, "pc"
inline constexpr std::uint16_t kProofLockB = 28772;

struct ProofLockKeys {
  std::uint32_t key1 = 0;
  std::uint32_t key2 = 0;
  std::uint32_t key3 = 0;
};

// The lock keys of a SHA-256 digest (32 bytes).
inline ProofLockKeys proof_lock_keys(const unsigned char* digest) {
  auto word = [digest](int i) {
    return (static_cast<std::uint32_t>(digest[4 * i]) << 24) |
           (static_cast<std::uint32_t>(digest[4 * i + 1]) << 16) |
           (static_cast<std::uint32_t>(digest[4 * i + 2]) << 8) |
           static_cast<std::uint32_t>(digest[4 * i + 3]);
  };
  return ProofLockKeys{word(0), word(1), word(2)};
}

}  // namespace pgclone::protocol
