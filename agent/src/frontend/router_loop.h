#pragma once
// The agent's front end: one thread owning the ROUTER socket. Peers must
// complete a CURVE handshake with a key an enrolled server owns (ZAP, see
// trust/); the loop answers requests, relays worker messages from the
// outbox, sends heartbeats, reloads the enrolment on SIGHUP, and on
// SIGTERM/SIGINT stops the jobs and exits cleanly.

#include <memory>
#include <set>
#include <string>
#include <zmq.hpp>

#include "frontend/outbox.h"
#include "frontend/request_handler.h"
#include "jobs/job_manager.h"
#include "pgclone/protocol/key_file.h"
#include "trust/caller_verifier.h"
#include "trust/enrolment.h"
#include "trust/zap_handler.h"

namespace pgclone::agent::frontend {

struct IpcSocketPolicy {
  int mode = 0660;           // of the socket file
  std::string group;         // "": keep the agent's group
  std::set<unsigned> uids;   // peers allowed to connect; empty: any uid the mode lets in
};

struct RouterLoopConfig {
  std::string endpoint;
  int signal_fd = -1;  // signalfd for SIGTERM/SIGINT/SIGHUP (blocked in every thread)
  protocol::CurveKeyPair agent_key;
  std::string servers_file;  // re-read on SIGHUP
  std::string worker_keys_file;  // --worker-keys; re-read on SIGHUP ("" without --worker-listen)
  std::string config_file;       // --config; its log-level is re-read on SIGHUP
  std::shared_ptr<const trust::Enrolment> enrolment;
  IpcSocketPolicy ipc;
  int verifier_threads = 2;
  std::size_t max_pending_verifications = 64;
};

class RouterLoop {
 public:
  RouterLoop(RouterLoopConfig config, jobs::JobManager& manager, Outbox& outbox);
  // Binds, serves until a stop signal, then shuts the job manager down and
  // flushes the final messages. Throws on bind failure.
  void run();

  const trust::ZapHandler& zap() const { return zap_; }
  // For sockets whose peers the same ZAP handler authenticates (the
  // coordinator's worker endpoint).
  zmq::context_t& context() { return context_; }

 private:
  void reload();
  void restrict_ipc_socket() const;

  RouterLoopConfig config_;
  jobs::JobManager& manager_;
  Outbox& outbox_;
  zmq::context_t context_{1};
  trust::ZapHandler zap_;
  trust::CallerVerifier verifier_;
  RequestHandler handler_;
};

}  // namespace pgclone::agent::frontend
