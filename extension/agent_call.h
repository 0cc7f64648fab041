#pragma once
// One request/reply exchange with the agent, waited for in the PostgreSQL
// frame (latch + socket, interrupts honoured, cancel forwarded to the agent).
// PostgreSQL frame only: include pg_headers.h first.

#include "agent_client.h"

namespace pgclone::extension {

// StatusRequest -> StatusReply.json. palloc'd; ereports on failure.
char* agent_call_status(void);

// CloneRequest (fields.wait must be true) -> JobFinished.result_text after
// re-raising the job's notices. palloc'd; ereports on failure.
char* agent_call_clone(const CloneRequestFields& fields);

}  // namespace pgclone::extension
