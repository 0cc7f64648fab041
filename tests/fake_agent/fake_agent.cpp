// pgclone-fake-agent: a scripted stand-in for pgclone-agent, for testing the
// extension's wait loop, timeouts, cancel forwarding and error mapping
// without a real agent. Speaks the real protocol (protocol/ codec).
//
//   pgclone-fake-agent --listen ENDPOINT --mode MODE [--job-id N] [--heartbeat-ms N]
//
// Modes (what happens to a CloneRequest; StatusRequest is answered with a
// small JSON document in every mode except "silent"):
//   silent     never answers anything
//   accept     JobAccepted, then nothing (the call should fail with 08006)
//   heartbeat  JobAccepted, then JobProgress every --heartbeat-ms (default
//              500) forever; a CancelRequest stops the heartbeats and is
//              answered with CancelReply + JobFinished(cancelled)
//   error      ErrorReply 42P01 with message, detail, hint and context
//   fail       JobAccepted, then JobFinished(failed) with 23505 + detail/hint/context
//   complete   JobAccepted, JobProgress, then JobFinished(completed) with a
//              result text and a notice and a warning
//   badversion answers every request with a message tagged "pgclone/99"
//              (the call should fail with 08P01 naming both versions)
//
// Every received message is logged to stdout, one line each, e.g.
//   RECV CloneRequest request_id=... schema=public table=t target_conninfo=...
//   RECV CancelRequest job_id=42
// Built by CMake with the tests: build/tests/fake_agent/pgclone-fake-agent.
#include <zmq.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/messages.h"

namespace proto = pgclone::protocol;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }

struct Waiter {  // a clone request being "worked on" (heartbeat mode)
  std::string identity;
  std::uint64_t request_id = 0;
  std::int64_t job_id = 0;
  Clock::time_point next_beat;
  std::int64_t rows = 0;
};

std::string reply_tag = proto::protocol_tag();

void send_reply(void* socket, const std::string& identity, const proto::Envelope& env) {
  const std::string tag = reply_tag;
  const std::string body = proto::encode_envelope(env);
  zmq_send(socket, identity.data(), identity.size(), ZMQ_SNDMORE);
  zmq_send(socket, tag.data(), tag.size(), ZMQ_SNDMORE);
  zmq_send(socket, body.data(), body.size(), 0);
}

template <typename Payload>
void reply(void* socket, const std::string& identity, proto::MessageKind kind,
           std::uint64_t request_id, const Payload& payload) {
  send_reply(socket, identity, proto::make_envelope(kind, request_id, payload));
  std::printf("SEND %s request_id=%llu\n", proto::message_kind_name(kind),
              static_cast<unsigned long long>(request_id));
  std::fflush(stdout);
}

bool receive(void* socket, std::vector<std::string>* frames) {
  frames->clear();
  for (;;) {
    zmq_msg_t part;
    zmq_msg_init(&part);
    if (zmq_msg_recv(&part, socket, 0) < 0) {
      zmq_msg_close(&part);
      return false;
    }
    frames->emplace_back(static_cast<const char*>(zmq_msg_data(&part)), zmq_msg_size(&part));
    const bool more = zmq_msg_more(&part);
    zmq_msg_close(&part);
    if (!more) return true;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint = "tcp://127.0.0.1:56109";
  std::string mode = "silent";
  std::int64_t job_id = 42;
  int heartbeat_ms = 500;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--listen") endpoint = value();
    else if (arg == "--mode") mode = value();
    else if (arg == "--job-id") job_id = std::atoll(value().c_str());
    else if (arg == "--heartbeat-ms") heartbeat_ms = std::atoi(value().c_str());
    else {
      std::fprintf(stderr,
                   "usage: %s --listen ENDPOINT --mode silent|accept|heartbeat|error|fail|complete|badversion"
                   " [--job-id N] [--heartbeat-ms N]\n",
                   argv[0]);
      return arg == "--help" ? 0 : 2;
    }
  }
  if (mode == "badversion") reply_tag = "pgclone/99";
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);

  void* context = zmq_ctx_new();
  void* socket = zmq_socket(context, ZMQ_ROUTER);
  const int linger = 0;
  zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_bind(socket, endpoint.c_str()) != 0) {
    std::fprintf(stderr, "bind %s: %s\n", endpoint.c_str(), zmq_strerror(zmq_errno()));
    return 1;
  }
  std::printf("LISTEN %s mode=%s\n", endpoint.c_str(), mode.c_str());
  std::fflush(stdout);

  std::map<std::int64_t, Waiter> waiters;
  std::vector<std::string> frames;
  while (!stop_requested) {
    zmq_pollitem_t item{socket, 0, ZMQ_POLLIN, 0};
    zmq_poll(&item, 1, 50);
    const auto now = Clock::now();
    for (auto& [id, w] : waiters) {
      if (now < w.next_beat) continue;
      proto::JobProgress progress;
      progress.job_id = id;
      progress.status = "running";
      progress.phase = "copy";
      progress.rows_copied = (w.rows += 1000);
      reply(socket, w.identity, proto::MessageKind::kJobProgress, w.request_id, progress);
      w.next_beat = now + std::chrono::milliseconds(heartbeat_ms);
    }
    if (!(item.revents & ZMQ_POLLIN)) continue;
    if (!receive(socket, &frames) || frames.size() != 3) continue;
    const std::string& identity = frames[0];
    proto::Envelope env;
    try {
      proto::check_protocol_tag(frames[1]);
      env = proto::decode_envelope(frames[2]);
    } catch (const std::exception& e) {
      std::printf("DROP malformed message: %s\n", e.what());
      std::fflush(stdout);
      continue;
    }
    const std::uint64_t rid = env.request_id;
    try {
      switch (env.message_kind()) {
        case proto::MessageKind::kStatusRequest: {
          std::printf("RECV StatusRequest request_id=%llu\n", static_cast<unsigned long long>(rid));
          std::fflush(stdout);
          if (mode == "silent") break;
          proto::StatusReply status;
          status.json = "{\"agent\": \"pgclone-fake-agent\", \"mode\": \"" + mode + "\"}";
          reply(socket, identity, proto::MessageKind::kStatusReply, rid, status);
          break;
        }
        case proto::MessageKind::kCloneRequest: {
          auto req = proto::unpack_payload<proto::CloneRequest>(env);
          std::printf(
              "RECV CloneRequest request_id=%llu operation=%s schema=%s table=%s target_table=%s "
              "include_data=%d options=%s session_user=%s current_user=%s superuser=%d "
              "wait=%d target_conninfo=%s\n",
              static_cast<unsigned long long>(rid), req.operation.c_str(), req.schema.c_str(),
              req.table.c_str(), req.target_table.c_str(), req.include_data ? 1 : 0,
              req.options_json.c_str(), req.caller.session_user.c_str(),
              req.caller.current_user.c_str(), req.caller.is_superuser ? 1 : 0, req.wait ? 1 : 0,
              req.target_conninfo.c_str());
          std::fflush(stdout);
          if (mode == "silent") break;
          if (mode == "error") {
            proto::ErrorInfo error;
            error.sqlstate = "42P01";
            error.message = "relation \"public.missing\" does not exist on the source";
            error.detail = "The source database has no table named missing in schema public.";
            error.hint = "Check the schema and table names.";
            error.context = "cloning table public.missing";
            reply(socket, identity, proto::MessageKind::kErrorReply, rid, error);
            break;
          }
          reply(socket, identity, proto::MessageKind::kJobAccepted, rid, proto::JobAccepted{job_id});
          if (mode == "heartbeat") {
            Waiter w;
            w.identity = identity;
            w.request_id = rid;
            w.job_id = job_id;
            w.next_beat = Clock::now() + std::chrono::milliseconds(heartbeat_ms);
            waiters[job_id] = w;
          } else if (mode == "fail" || mode == "complete") {
            proto::JobProgress progress;
            progress.job_id = job_id;
            progress.status = "running";
            reply(socket, identity, proto::MessageKind::kJobProgress, rid, progress);
            proto::JobFinished done;
            done.job_id = job_id;
            if (mode == "fail") {
              done.status = "failed";
              done.error = {"23505", "duplicate key value violates unique constraint \"t_pkey\"",
                            "Key (id)=(1) already exists.", "Clean the source table first.",
                            "COPY t, line 1"};
            } else {
              done.status = "completed";
              done.result_text = "OK: cloned " + req.schema + "." + req.table + " (1000 rows)";
              done.notices.push_back({"notice", "fake notice", "notice detail"});
              done.notices.push_back({"warning", "fake warning", ""});
            }
            reply(socket, identity, proto::MessageKind::kJobFinished, rid, done);
          }
          ++job_id;
          break;
        }
        case proto::MessageKind::kCancelRequest: {
          auto cancel = proto::unpack_payload<proto::CancelRequest>(env);
          std::printf("RECV CancelRequest request_id=%llu job_id=%lld caller=%s\n",
                      static_cast<unsigned long long>(rid), static_cast<long long>(cancel.job_id),
                      cancel.caller.session_user.c_str());
          std::fflush(stdout);
          reply(socket, identity, proto::MessageKind::kCancelReply, rid,
                proto::CancelReply{true, "cancelled"});
          auto it = waiters.find(cancel.job_id);
          if (it != waiters.end()) {
            proto::JobFinished done;
            done.job_id = cancel.job_id;
            done.status = "cancelled";
            done.error = {"57014", "pgclone job cancelled", "", "", ""};
            reply(socket, it->second.identity, proto::MessageKind::kJobFinished,
                  it->second.request_id, done);
            waiters.erase(it);
          }
          break;
        }
        default:
          std::printf("RECV unexpected kind %u\n", static_cast<unsigned>(env.kind));
          std::fflush(stdout);
      }
    } catch (const std::exception& e) {
      std::printf("DROP bad payload: %s\n", e.what());
      std::fflush(stdout);
    }
  }
  zmq_close(socket);
  zmq_ctx_term(context);
  return 0;
}
