// PostgreSQL frame: sends a request through the client and waits for its reply
// on the socket's fd with WaitLatchOrSocket, honouring interrupts. Only plain
// structs live on these frames; every client call is noexcept.
#include "pg_headers.h"

#include "agent_call.h"

#include "report.h"
#include "settings.h"

namespace pgclone::extension {
namespace {

// How often the loop wakes up even when nothing happens.
constexpr long kPollIntervalMs = 100;

void on_backend_exit(int /*code*/, Datum /*arg*/) { client_close(); }

void ensure_exit_callback(void) {
  static bool registered = false;
  if (!registered) {
    before_shmem_exit(on_backend_exit, (Datum)0);
    registered = true;
  }
}

// Tells the agent to stop the job this call is waiting for (fire-and-forget).
void forward_cancel(int64 job_id, bool creates_job) {
  if (job_id > 0) {
    client_send_cancel(job_id);
  } else if (creates_job) {
    client_cancel_unaccepted();
  }
  client_abandon(false);
}

// CHECK_FOR_INTERRUPTS(), but a cancel, statement_timeout or terminate first
// tells the agent to cancel the job. ERRORs arrive here by longjmp (PG_CATCH);
// FATAL (pg_terminate_backend) exits through proc_exit without unwinding, so a
// pending die is forwarded before CHECK_FOR_INTERRUPTS runs.
void check_for_interrupts(int64 job_id, bool creates_job) {
  if (!INTERRUPTS_PENDING_CONDITION()) return;
  if (ProcDiePending && InterruptHoldoffCount == 0 && CritSectionCount == 0) {
    forward_cancel(job_id, creates_job);
  }
  PG_TRY();
  {
    CHECK_FOR_INTERRUPTS();
  }
  PG_CATCH();
  {
    forward_cancel(job_id, creates_job);
    PG_RE_THROW();
  }
  PG_END_TRY();
}

const char* timeout_text(void) {
  return GetConfigOptionByName("pgclone.agent_timeout", nullptr, false);
}

[[noreturn]] void report_unreachable(const char* endpoint) {
  ereport(ERROR,
          (errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
           errmsg("could not reach pgclone agent at \"%s\"", endpoint),
           errdetail("No reply arrived within pgclone.agent_timeout (%s).", timeout_text()),
           errhint("Start the agent with: pgclone-agent --listen %s --state-dir DIR, or point "
                   "pgclone.agent_endpoint at a running agent. An ipc:// endpoint must be "
                   "writable by the PostgreSQL server's OS user.",
                   endpoint)));
  pg_unreachable();
}

[[noreturn]] void report_lost_contact(const char* endpoint, int64 job_id) {
  ereport(ERROR,
          (errcode(ERRCODE_CONNECTION_FAILURE),
           errmsg("lost contact with pgclone agent at \"%s\" while job " INT64_FORMAT
                  " was running",
                  endpoint, job_id),
           errdetail("The agent sent no progress for pgclone.agent_timeout (%s); it may have "
                     "stopped, or the network between this server and the agent failed. A "
                     "request to cancel the job was sent.",
                     timeout_text()),
           errhint("Check the pgclone agent's log for job " INT64_FORMAT ".", job_id)));
  pg_unreachable();
}

[[noreturn]] void report_protocol_violation(const char* endpoint, const char* what) {
  ereport(ERROR, (errcode(ERRCODE_PROTOCOL_VIOLATION),
                  errmsg("unexpected %s from pgclone agent at \"%s\"", what, endpoint),
                  errhint("Make sure the agent and the extension are the same pgclone version.")));
  pg_unreachable();
}

// A JobFinished that is not "completed": its error, or a generic one.
[[noreturn]] void report_job_failure(const ReceiveResult& r) {
  if (r.error.sqlstate[0] != '\0' || r.error.message[0] != '\0') report_client_error(r.error);
  if (strcmp(r.job_status, "cancelled") == 0) {
    ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED),
                    errmsg("pgclone job " INT64_FORMAT " was cancelled", r.job_id)));
  }
  ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                  errmsg("pgclone job " INT64_FORMAT " ended with status \"%s\"", r.job_id,
                         r.job_status)));
  pg_unreachable();
}

// Waits for the final reply of the current request and returns its text
// (StatusReply.json or JobFinished.result_text), palloc'd.
char* wait_for_reply(const char* endpoint, bool creates_job) {
  TimestampTz last_heard = GetCurrentTimestamp();
  int64 job_id = 0;

  for (;;) {
    // Drain everything that is there: the ZeroMQ fd is edge-triggered.
    for (;;) {
      ReceiveResult r = client_try_receive();
      if (r.status == ClientStatus::kNothingYet) break;
      if (r.status == ClientStatus::kFailed) {
        if (job_id > 0) client_send_cancel(job_id);
        client_abandon(true);
        report_client_error(r.error);
      }
      last_heard = GetCurrentTimestamp();  // any message proves the agent alive
      switch (r.kind) {
        case AgentMessage::kJobAccepted:
        case AgentMessage::kJobProgress:
          if (!creates_job) report_protocol_violation(endpoint, "job message");
          if (job_id == 0) job_id = r.job_id;
          break;
        case AgentMessage::kCancelReply:
          break;
        case AgentMessage::kStatusReply:
          if (creates_job) report_protocol_violation(endpoint, "status reply");
          return pstrdup(r.text);
        case AgentMessage::kErrorReply:
          report_client_error(r.error);
        case AgentMessage::kJobFinished:
          if (!creates_job) report_protocol_violation(endpoint, "job result");
          for (int i = 0; i < r.notice_count; ++i) report_notice(r.notices[i]);
          if (strcmp(r.job_status, "completed") != 0) report_job_failure(r);
          return pstrdup(r.text);
        case AgentMessage::kNone:
          break;
      }
    }

    if (TimestampDifferenceExceeds(last_heard, GetCurrentTimestamp(), pgclone_agent_timeout_ms)) {
      if (job_id > 0) {
        client_send_cancel(job_id);
        client_abandon(false);
        report_lost_contact(endpoint, job_id);
      }
      client_abandon(true);  // the request must not reach an agent that starts later
      report_unreachable(endpoint);
    }

    const int fd = client_wait_fd();
    int events = WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH;
    if (fd >= 0) events |= WL_SOCKET_READABLE;
    const int rc = WaitLatchOrSocket(MyLatch, events, fd >= 0 ? fd : PGINVALID_SOCKET,
                                     kPollIntervalMs, PG_WAIT_EXTENSION);
    if (rc & WL_LATCH_SET) ResetLatch(MyLatch);
    check_for_interrupts(job_id, creates_job);
  }
}

// The endpoint as of the start of the call (the GUC could change under us only
// through a SET inside the call, which cannot happen, but copy it anyway).
const char* current_endpoint(void) { return pstrdup(pgclone_agent_endpoint); }

}  // namespace

char* agent_call_status(void) {
  ensure_exit_callback();
  const char* endpoint = current_endpoint();
  SendResult sent = client_send_status_request(endpoint);
  if (sent.status != ClientStatus::kOk) report_client_error(sent.error);
  return wait_for_reply(endpoint, false);
}

char* agent_call_clone(const CloneRequestFields& fields) {
  ensure_exit_callback();
  const char* endpoint = current_endpoint();
  SendResult sent = client_send_clone_request(endpoint, fields);
  if (sent.status != ClientStatus::kOk) report_client_error(sent.error);
  return wait_for_reply(endpoint, true);
}

}  // namespace pgclone::extension
