#pragma once
// PostgreSQL frame only (include pg_headers.h first): the proof of identity a
// request carries to the agent (see protocol/caller_proof.h). Taking a proof
// locks two advisory locks for this backend in the current transaction; they
// go when the proof is released, or with the transaction.

#include "agent_client.h"

namespace pgclone::extension {

struct CallerProof {
  char hex[65];  // the secret, hex encoded, NUL terminated
  LOCKTAG lock_a;
  LOCKTAG lock_b;
  bool held;
};

// Draws a fresh secret and takes its locks (B carries GetUserId()).
void caller_proof_take(CallerProof* proof);

// Releases the locks early (a long transaction should not keep them).
void caller_proof_release(CallerProof* proof);

// The caller fields of a request carrying proof (strings palloc'd / in proof).
CallerFields caller_fields(const CallerProof* proof);

}  // namespace pgclone::extension
