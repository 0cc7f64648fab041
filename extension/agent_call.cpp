// PostgreSQL frame: sends a request through the client and waits for its reply
// on the socket's fd with WaitLatchOrSocket, honouring interrupts. Only plain
// structs live on these frames; every client call is noexcept.
#include "pg_headers.h"

#include "agent_call.h"

#include "caller_proof.h"
#include "report.h"
#include "settings.h"

namespace pgclone::extension {
namespace {

// How often the loop wakes up even when nothing happens.
constexpr long kPollIntervalMs = 100;

// What one call waits for.
struct Await {
  AgentMessage final_kind;  // the reply that ends the call
  bool job_messages;        // JobAccepted / JobProgress may arrive before it
  bool cancels_job;         // aborting the call cancels its job (clone calls)
  TimestampTz deadline;     // wait(timeout): give up then (0: never)
};

// The outcome of await_reply: the final reply, or the deadline passed.
struct Awaited {
  bool timed_out;
  int64 job_id;        // from JobAccepted / JobProgress, 0 if none arrived
  char last_status[32];  // status of the last JobProgress ("" if none)
  ReceiveResult reply;   // when !timed_out
};

void on_backend_exit(int /*code*/, Datum /*arg*/) { client_close(); }

// Forgets the current request; for a call that owns its job, first tells the
// agent to stop it (fire-and-forget).
void forward_cancel(int64 job_id, bool cancels_job) {
  if (cancels_job) {
    if (job_id > 0) client_send_cancel(job_id);
    else client_cancel_unaccepted();
  }
  client_abandon(false);
}

// CHECK_FOR_INTERRUPTS(), but a cancel, statement_timeout or terminate first
// tells the agent to cancel the job (when the call owns it). ERRORs arrive
// here by longjmp (PG_CATCH); FATAL (pg_terminate_backend) exits through
// proc_exit without unwinding, so a pending die is forwarded before
// CHECK_FOR_INTERRUPTS runs.
void check_for_interrupts(int64 job_id, bool cancels_job) {
  if (!INTERRUPTS_PENDING_CONDITION()) return;
  if (ProcDiePending && InterruptHoldoffCount == 0 && CritSectionCount == 0) {
    forward_cancel(job_id, cancels_job);
  }
  PG_TRY();
  {
    CHECK_FOR_INTERRUPTS();
  }
  PG_CATCH();
  {
    forward_cancel(job_id, cancels_job);
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
           errhint("Start the agent with: pgclone-agent --listen %s --state-dir DIR --key FILE --servers FILE, "
                   "or point pgclone.agent_endpoint at a running agent. If it runs, check that "
                   "pgclone.agent_public_key is the key it logs at start and that this server is enrolled "
                   "in its --servers file. An ipc:// endpoint must be writable by the PostgreSQL server's OS user.",
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
                     "stopped, or the network between this server and the agent failed. The "
                     "job was left as it is.",
                     timeout_text()),
           errhint("Once the agent is back, resume the job with: SELECT pgclone.resume(" INT64_FORMAT
                   "); the agent's log tells what happened to job " INT64_FORMAT ".",
                   job_id, job_id)));
  pg_unreachable();
}

// wait() lost the agent: the job itself was not touched.
[[noreturn]] void report_lost_wait(const char* endpoint, int64 job_id) {
  ereport(ERROR,
          (errcode(ERRCODE_CONNECTION_FAILURE),
           errmsg("lost contact with pgclone agent at \"%s\" while waiting for job " INT64_FORMAT,
                  endpoint, job_id),
           errdetail("The agent sent no progress for pgclone.agent_timeout (%s); it may have "
                     "stopped, or the network between this server and the agent failed.",
                     timeout_text()),
           errhint("Once the agent is back, check the job with: SELECT pgclone.progress(" INT64_FORMAT
                   "); if it was interrupted, resume it with: SELECT pgclone.resume(" INT64_FORMAT ");",
                   job_id, job_id)));
  pg_unreachable();
}

[[noreturn]] void report_protocol_violation(const char* endpoint, const char* what) {
  ereport(ERROR, (errcode(ERRCODE_PROTOCOL_VIOLATION),
                  errmsg("unexpected %s from pgclone agent at \"%s\"", what, endpoint),
                  errhint("Make sure the agent and the extension are the same pgclone version.")));
  pg_unreachable();
}

const char* message_name(AgentMessage kind) {
  switch (kind) {
    case AgentMessage::kStatusReply: return "status reply";
    case AgentMessage::kJobAccepted: return "job acceptance";
    case AgentMessage::kJobProgress: return "job progress";
    case AgentMessage::kJobFinished: return "job result";
    case AgentMessage::kCancelReply: return "cancel reply";
    case AgentMessage::kJobsReply: return "job list";
    case AgentMessage::kClearReply: return "clear reply";
    case AgentMessage::kErrorReply: return "error reply";
    case AgentMessage::kNone: break;
  }
  return "message";
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

// Waits for the final reply of the current request. Any message from the
// agent (heartbeats included) restarts pgclone.agent_timeout; an ErrorReply
// is raised. The reply's pointers stay valid until the next client call.
Awaited await_reply(const char* endpoint, const Await& a) {
  Awaited out;
  memset(&out, 0, sizeof out);
  TimestampTz last_heard = GetCurrentTimestamp();

  for (;;) {
    // Drain everything that is there: the ZeroMQ fd is edge-triggered.
    for (;;) {
      ReceiveResult r = client_try_receive();
      if (r.status == ClientStatus::kNothingYet) break;
      if (r.status == ClientStatus::kFailed) {
        if (a.cancels_job && out.job_id > 0) client_send_cancel(out.job_id);
        client_abandon(true);
        report_client_error(r.error);
      }
      last_heard = GetCurrentTimestamp();  // any message proves the agent alive
      if (r.kind == AgentMessage::kErrorReply) report_client_error(r.error);
      if (r.kind == AgentMessage::kNone) continue;
      if (r.kind == a.final_kind) {
        if (r.kind == AgentMessage::kJobAccepted) client_abandon(false);  // nothing follows
        out.reply = r;
        if (out.job_id == 0) out.job_id = r.job_id;
        return out;
      }
      switch (r.kind) {
        case AgentMessage::kJobAccepted:
        case AgentMessage::kJobProgress:
          if (!a.job_messages) report_protocol_violation(endpoint, message_name(r.kind));
          if (out.job_id == 0) out.job_id = r.job_id;
          if (r.kind == AgentMessage::kJobProgress) {
            strlcpy(out.last_status, r.job_status, sizeof out.last_status);
          }
          break;
        case AgentMessage::kCancelReply:
          break;  // to a cancel this call forwarded earlier
        default:
          report_protocol_violation(endpoint, message_name(r.kind));
      }
    }

    const TimestampTz now = GetCurrentTimestamp();
    if (a.deadline != 0 && now >= a.deadline) {
      client_abandon(false);  // the agent's later messages for it are stale
      out.timed_out = true;
      return out;
    }
    if (TimestampDifferenceExceeds(last_heard, now, pgclone_agent_timeout_ms)) {
      if (out.job_id > 0 && a.cancels_job) {
        // No cancel: an agent that stopped lists the job as interrupted when
        // it is back, and the caller can resume it.
        client_abandon(true);
        report_lost_contact(endpoint, out.job_id);
      }
      client_abandon(true);  // the request must not reach an agent that starts later
      if (out.job_id > 0) report_lost_wait(endpoint, out.job_id);
      report_unreachable(endpoint);
    }

    long sleep_ms = kPollIntervalMs;
    if (a.deadline != 0) {
      const long left_ms = TimestampDifferenceMilliseconds(now, a.deadline);
      if (left_ms < sleep_ms) sleep_ms = left_ms < 1 ? 1 : left_ms;
    }
    const int fd = client_wait_fd();
    int events = WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH;
    if (fd >= 0) events |= WL_SOCKET_READABLE;
    const int rc = WaitLatchOrSocket(MyLatch, events, fd >= 0 ? fd : PGINVALID_SOCKET, sleep_ms,
                                     PG_WAIT_EXTENSION);
    if (rc & WL_LATCH_SET) ResetLatch(MyLatch);
    check_for_interrupts(out.job_id, a.cancels_job);
  }
}

Await await_for(AgentMessage final_kind) {
  Await a;
  a.final_kind = final_kind;
  a.job_messages = false;
  a.cancels_job = false;
  a.deadline = 0;
  return a;
}

// The agent's address and this server's keys as of the start of the call.
AgentAddress current_address(void) {
  AgentAddress address;
  address.endpoint = pstrdup(pgclone_agent_endpoint != nullptr ? pgclone_agent_endpoint : "");
  address.agent_public_key = pstrdup(pgclone_agent_public_key != nullptr ? pgclone_agent_public_key : "");
  address.key_file = pstrdup(pgclone_key_file != nullptr ? pgclone_key_file : "");
  return address;
}

void send_or_raise(const SendResult& sent) {
  if (sent.status != ClientStatus::kOk) report_client_error(sent.error);
}

}  // namespace

void ensure_exit_callback(void) {
  static bool registered = false;
  if (!registered) {
    before_shmem_exit(on_backend_exit, (Datum)0);
    registered = true;
  }
}

char* agent_call_status(void) {
  ensure_exit_callback();
  const AgentAddress address = current_address();
  const char* endpoint = address.endpoint;
  send_or_raise(client_send_status_request(address));
  Awaited got = await_reply(endpoint, await_for(AgentMessage::kStatusReply));
  return pstrdup(got.reply.text);
}

char* agent_call_clone(const CloneRequestFields& fields) {
  Assert(fields.wait);
  ensure_exit_callback();
  const AgentAddress address = current_address();
  const char* endpoint = address.endpoint;
  send_or_raise(client_send_clone_request(address, fields));
  Await a = await_for(AgentMessage::kJobFinished);
  a.job_messages = true;
  a.cancels_job = true;
  Awaited got = await_reply(endpoint, a);
  const ReceiveResult& r = got.reply;
  for (int i = 0; i < r.notice_count; ++i) report_notice(r.notices[i]);
  if (strcmp(r.job_status, "completed") != 0) report_job_failure(r);
  return pstrdup(r.text);
}

int64 agent_call_clone_async(const CloneRequestFields& fields) {
  Assert(!fields.wait);
  ensure_exit_callback();
  const AgentAddress address = current_address();
  const char* endpoint = address.endpoint;
  send_or_raise(client_send_clone_request(address, fields));
  Await a = await_for(AgentMessage::kJobAccepted);
  a.cancels_job = true;  // aborted before the id arrived: nobody would know the job
  return await_reply(endpoint, a).reply.job_id;
}

ReceiveResult agent_call_job(JobRequestKind kind, int64 job_id, const char* resume_source_conninfo) {
  AgentMessage final_kind = AgentMessage::kNone;
  switch (kind) {
    case JobRequestKind::kList: final_kind = AgentMessage::kJobsReply; break;
    case JobRequestKind::kResume: final_kind = AgentMessage::kJobAccepted; break;
    case JobRequestKind::kClear: final_kind = AgentMessage::kClearReply; break;
    case JobRequestKind::kCancel: final_kind = AgentMessage::kCancelReply; break;
    case JobRequestKind::kWait: elog(ERROR, "agent_call_job cannot wait; use agent_call_wait");
  }
  ensure_exit_callback();
  const AgentAddress address = current_address();
  CallerProof proof;
  caller_proof_take(&proof);
  send_or_raise(client_send_job_request(address, kind, caller_fields(&proof), job_id, resume_source_conninfo));
  ReceiveResult reply = await_reply(address.endpoint, await_for(final_kind)).reply;
  caller_proof_release(&proof);
  return reply;
}

char* agent_call_wait(int64 job_id, int64 timeout_ms) {
  ensure_exit_callback();
  const AgentAddress address = current_address();
  const char* endpoint = address.endpoint;
  CallerProof proof;
  caller_proof_take(&proof);
  Await a = await_for(AgentMessage::kJobFinished);
  a.job_messages = true;
  if (timeout_ms >= 0) {
    a.deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), timeout_ms);
    if (a.deadline == 0) a.deadline = 1;  // 0 means "no deadline"
  }
  send_or_raise(client_send_job_request(address, JobRequestKind::kWait, caller_fields(&proof), job_id));
  Awaited got = await_reply(endpoint, a);
  caller_proof_release(&proof);
  if (!got.timed_out) {
    const ReceiveResult& r = got.reply;
    // The job's notices (e.g. skipped masks) would otherwise be lost to an
    // async caller.
    for (int i = 0; i < r.notice_count; ++i) report_notice(r.notices[i]);
    return pstrdup(r.job_status);
  }
  if (got.last_status[0] != '\0') return pstrdup(got.last_status);

  // Timed out before the first heartbeat: ask for the job's status.
  ReceiveResult list = agent_call_job(JobRequestKind::kList, job_id);
  JobRowsResult rows = client_decode_job_rows(list.payload, list.payload_size);
  if (rows.status != ClientStatus::kOk) report_client_error(rows.error);
  if (rows.count == 0) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("pgclone job " INT64_FORMAT " does not exist", job_id)));
  }
  return pstrdup(rows.rows[0].status);
}

}  // namespace pgclone::extension
