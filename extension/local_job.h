#pragma once
// PostgreSQL frame: the "local job" of a call that runs in the caller's own
// session (mask_in_place): registered with the agent so that the jobs views
// list it and pgclone.cancel() can stop it, its end reported back. The work
// never depends on the agent: when it cannot be reached the call goes on
// unlisted, after a WARNING. Include pg_headers.h first.

namespace pgclone::extension {

// Registers a running local job of the calling role in this backend and
// returns its id, or 0 when it is not listed (a WARNING said why; nested
// calls are not listed, silently). Waits at most 2 s (or
// pgclone.agent_timeout when lower), with interrupts held: a cancel meanwhile
// takes effect right after. Ereports only when it cannot even take a caller
// proof.
int64 local_job_start(const char* operation, const char* schema, const char* table, const char* phase);

// The job completed: reports it and waits for the agent (bounded as above);
// a failure to report is a WARNING. Interrupts are honoured while waiting:
// call it where an error is still reported as the job's end.
void local_job_completed(int64 job_id, const char* result_text, int64 rows);

// The job ended with error (57014: cancelled, otherwise failed). For a
// PG_CATCH block: never raises, allocates nothing, does not wait.
void local_job_failed(int64 job_id, const ErrorData* error);

}  // namespace pgclone::extension
