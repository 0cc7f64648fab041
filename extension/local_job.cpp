// PostgreSQL frame: see local_job.h. The waits here are quiet versions of
// agent_call.cpp's: a lost agent is a WARNING, never an error, because the
// local work must not depend on it.
#include "pg_headers.h"

#include "local_job.h"

#include "agent_call.h"
#include "caller_proof.h"
#include "local_job_client.h"
#include "settings.h"

namespace pgclone::extension {
namespace {

// The longest a call waits for the agent's answer to a local job request.
constexpr int kMaxLocalWaitMs = 2000;

// The local job this backend runs now (0: none). A backend that exits while
// it runs reports it from before_shmem_exit.
int64 g_running_job = 0;

AgentAddress current_address(void) {
  AgentAddress address;
  address.endpoint = pgclone_agent_endpoint != nullptr ? pgclone_agent_endpoint : "";
  address.agent_public_key = pgclone_agent_public_key != nullptr ? pgclone_agent_public_key : "";
  address.key_file = pgclone_key_file != nullptr ? pgclone_key_file : "";
  return address;
}

int wait_limit_ms(void) {
  return pgclone_agent_timeout_ms < kMaxLocalWaitMs ? pgclone_agent_timeout_ms : kMaxLocalWaitMs;
}

LocalJobEndFields end_fields(int64 job_id, const char* status) {
  LocalJobEndFields end;
  memset(&end, 0, sizeof end);
  end.job_id = job_id;
  end.status = status;
  end.result_text = end.message = end.detail = end.hint = "";
  return end;
}

// Reported when the backend exits (FATAL: pg_terminate_backend, a lost
// connection noticed, ...) while its local job runs: no PG_CATCH runs then.
void on_exit_while_running(int /*code*/, Datum /*arg*/) {
  if (g_running_job == 0) return;
  LocalJobEndFields end = end_fields(g_running_job, "failed");
  memcpy(end.sqlstate, "57P01", 5);
  end.message = "the backend exited while the job was running";
  end.detail = "The session was terminated or lost its connection; its transaction was rolled back.";
  g_running_job = 0;
  client_send_local_job_end_detached(end);
  client_close();  // gives the report a short time to leave
}

// Waits for the current request's final reply (or ErrorReply) for at most
// wait_limit_ms(). Returns it; status kNothingYet when none came in time.
// honour_interrupts: CHECK_FOR_INTERRUPTS between waits (it may raise).
ReceiveResult await_quietly(AgentMessage final_kind, bool honour_interrupts) {
  const TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), wait_limit_ms());
  for (;;) {
    for (;;) {
      ReceiveResult r = client_try_receive();
      if (r.status == ClientStatus::kNothingYet) break;
      if (r.status == ClientStatus::kFailed) {
        client_abandon(true);
        return r;
      }
      if (r.kind == final_kind || r.kind == AgentMessage::kErrorReply) {
        if (r.kind == AgentMessage::kJobAccepted) client_abandon(false);  // nothing follows
        return r;
      }
    }
    const TimestampTz now = GetCurrentTimestamp();
    if (now >= deadline) {
      client_abandon(true);  // a late registration must not reach an agent that starts later
      ReceiveResult none;
      memset(&none, 0, sizeof none);
      none.status = ClientStatus::kNothingYet;
      return none;
    }
    long sleep_ms = TimestampDifferenceMilliseconds(now, deadline);
    if (sleep_ms > 100) sleep_ms = 100;
    if (sleep_ms < 1) sleep_ms = 1;
    const int fd = client_wait_fd();
    int events = WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH;
    if (fd >= 0) events |= WL_SOCKET_READABLE;
    const int rc = WaitLatchOrSocket(MyLatch, events, fd >= 0 ? fd : PGINVALID_SOCKET, sleep_ms, PG_WAIT_EXTENSION);
    if (rc & WL_LATCH_SET) ResetLatch(MyLatch);
    if (honour_interrupts) CHECK_FOR_INTERRUPTS();
  }
}

const char* why_not(const ReceiveResult& r) {
  if (r.status == ClientStatus::kNothingYet) {
    return psprintf("pgclone agent at \"%s\" did not answer within %d ms", current_address().endpoint,
                    wait_limit_ms());
  }
  return pstrdup(r.error.message);
}

}  // namespace

int64 local_job_start(const char* operation, const char* schema, const char* table, const char* phase) {
  if (g_running_job != 0) return 0;  // nested (an event trigger): the outer call is listed
  ensure_exit_callback();
  static bool exit_callback = false;
  if (!exit_callback) {
    before_shmem_exit(on_exit_while_running, (Datum)0);  // runs before the client closes
    exit_callback = true;
  }
  CallerProof proof;
  caller_proof_take(&proof);
  const CallerFields caller = caller_fields(&proof);
  ReceiveResult reply;
  const SendResult sent = client_send_local_job_start(current_address(), caller, operation, schema, table, phase);
  // Held so that a cancel cannot leave a registered job nobody ends; it takes
  // effect in the rewrite, whose error path reports the job cancelled.
  HOLD_INTERRUPTS();
  if (sent.status != ClientStatus::kOk) {
    memset(&reply, 0, sizeof reply);
    reply.status = ClientStatus::kFailed;
    reply.error = sent.error;
  } else {
    reply = await_quietly(AgentMessage::kJobAccepted, false);
  }
  RESUME_INTERRUPTS();
  caller_proof_release(&proof);
  if (reply.status == ClientStatus::kOk && reply.kind == AgentMessage::kJobAccepted && reply.job_id > 0) {
    g_running_job = reply.job_id;
    return reply.job_id;
  }
  ereport(WARNING, (errmsg("pgclone.%s of %s.%s is not listed in pgclone.jobs_view", operation, schema, table),
                    errdetail("Registering it with the agent failed: %s.", why_not(reply)),
                    errhint("The call goes on all the same; only pg_cancel_backend(%d) or statement_timeout "
                            "can stop it.",
                            MyProcPid)));
  return 0;
}

void local_job_completed(int64 job_id, const char* result_text, int64 rows) {
  if (job_id == 0) return;
  LocalJobEndFields end = end_fields(job_id, "completed");
  end.result_text = result_text;
  end.rows = rows;
  const SendResult sent = client_send_local_job_end(current_address(), end);
  ReceiveResult reply;
  if (sent.status != ClientStatus::kOk) {
    memset(&reply, 0, sizeof reply);
    reply.status = ClientStatus::kFailed;
    reply.error = sent.error;
  } else {
    reply = await_quietly(AgentMessage::kJobFinished, true);
  }
  if (reply.status == ClientStatus::kOk && reply.kind == AgentMessage::kJobFinished) {
    g_running_job = 0;
    return;
  }
  // Not reported: an exit now would report a failure that did not happen.
  g_running_job = 0;
  ereport(WARNING, (errmsg("could not report the end of pgclone job " INT64_FORMAT " to the agent", job_id),
                    errdetail("%s.", why_not(reply)),
                    errhint("The call completed; pgclone.jobs_view may go on showing the job as running.")));
}

void local_job_failed(int64 job_id, const ErrorData* error) {
  if (job_id == 0) return;
  g_running_job = 0;
  const bool cancelled = error != nullptr && error->sqlerrcode == ERRCODE_QUERY_CANCELED;
  LocalJobEndFields end = end_fields(job_id, cancelled ? "cancelled" : "failed");
  if (error != nullptr) {
    memcpy(end.sqlstate, unpack_sql_state(error->sqlerrcode), 5);
    end.message = error->message != nullptr ? error->message : "";
    end.detail = error->detail != nullptr ? error->detail : "";
    end.hint = error->hint != nullptr ? error->hint : "";
  } else {
    memcpy(end.sqlstate, "XX000", 5);
    end.message = "the call failed";
  }
  client_send_local_job_end_detached(end);
}

}  // namespace pgclone::extension
