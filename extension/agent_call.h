#pragma once
// Request/reply exchanges with the agent, waited for in the PostgreSQL frame
// (latch + socket, interrupts honoured; a cancelled clone call tells the agent
// to cancel its job). PostgreSQL frame only: include pg_headers.h first.

#include "agent_client.h"
#include "job_client.h"

namespace pgclone::extension {

// Registers (once per backend) the before_shmem_exit callback that closes
// the client. Callbacks run last-registered first: one registered after this
// call still finds the socket open.
void ensure_exit_callback(void);

// StatusRequest -> StatusReply.json. palloc'd; ereports on failure.
char* agent_call_status(void);

// The job requests and wait() prove the caller themselves (caller_proof.h);
// a clone request's fields carry the proof its caller took.

// CloneRequest (fields.wait must be true) -> JobFinished.result_text after
// re-raising the job's notices. palloc'd; ereports on failure.
char* agent_call_clone(const CloneRequestFields& fields);

// CloneRequest with fields.wait false -> the id of the job the agent accepted.
// Ereports on failure.
int64 agent_call_clone_async(const CloneRequestFields& fields);

// A job request other than kWait for the calling role -> its final reply:
// JobsReply (kList), JobAccepted (kResume), ClearReply (kClear), CancelReply
// (kCancel). An ErrorReply is raised. The reply's pointers stay valid until
// the next call into the client.
ReceiveResult agent_call_job(JobRequestKind kind, int64 job_id, const char* resume_source_conninfo = "");

// Waits for job_id to end and returns its final status ("completed",
// "failed", "cancelled", ...), after re-raising the job's notices; a failed
// job is not an error. With timeout_ms >= 0, returns the job's status at that
// point when it has not ended by then. Aborting the wait (cancel, timeout)
// never cancels the job. palloc'd.
char* agent_call_wait(int64 job_id, int64 timeout_ms);

}  // namespace pgclone::extension
