// PostgreSQL frame: see caller_proof.h.
#include "pg_headers.h"

#include "caller_proof.h"

#include "pgclone/protocol/caller_proof.h"

namespace pgclone::extension {
namespace proto = pgclone::protocol;

void caller_proof_take(CallerProof* proof) {
  static_assert(sizeof proof->hex == proto::kProofHexLength + 1, "proof text size");
  unsigned char secret[proto::kProofBytes];
  if (!pg_strong_random(secret, sizeof secret)) {
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not generate a random caller proof")));
  }
  unsigned char digest[PG_SHA256_DIGEST_LENGTH];
  pg_cryptohash_ctx* hash = pg_cryptohash_create(PG_SHA256);
  if (hash == nullptr || pg_cryptohash_init(hash) < 0 || pg_cryptohash_update(hash, secret, sizeof secret) < 0 ||
      pg_cryptohash_final(hash, digest, sizeof digest) < 0) {
    pg_cryptohash_free(hash);
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not hash the caller proof")));
  }
  pg_cryptohash_free(hash);
  hex_encode(reinterpret_cast<const char*>(secret), sizeof secret, proof->hex);
  proof->hex[proto::kProofHexLength] = '\0';

  const proto::ProofLockKeys keys = proto::proof_lock_keys(digest);
  SET_LOCKTAG_ADVISORY(proof->lock_a, MyDatabaseId, keys.key1, keys.key2, proto::kProofLockA);
  SET_LOCKTAG_ADVISORY(proof->lock_b, MyDatabaseId, keys.key3, GetUserId(), proto::kProofLockB);
  (void)LockAcquire(&proof->lock_a, ExclusiveLock, false, false);
  (void)LockAcquire(&proof->lock_b, ExclusiveLock, false, false);
  proof->held = true;
}

void caller_proof_release(CallerProof* proof) {
  if (!proof->held) return;
  LockRelease(&proof->lock_a, ExclusiveLock, false);
  LockRelease(&proof->lock_b, ExclusiveLock, false);
  proof->held = false;
}

CallerFields caller_fields(const CallerProof* proof) {
  CallerFields fields;
  fields.database = get_database_name(MyDatabaseId);
  if (fields.database == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_DATABASE),
                    errmsg("could not determine the name of the current database")));
  }
  fields.proof = proof->hex;
  return fields;
}

}  // namespace pgclone::extension
