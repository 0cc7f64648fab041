#pragma once
// ZeroMQ's authentication hook (ZAP, RFC 27): a thread answering the
// handshakes of the agent's ROUTER socket in the same context, with the
// current enrolment (replaced on reload without dropping connections).

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <zmq.hpp>

#include "trust/enrolment.h"

namespace pgclone::agent::trust {

class ZapHandler {
 public:
  // Binds inproc://zeromq.zap.01 in context and starts answering. Must exist
  // before the ROUTER socket binds.
  ZapHandler(zmq::context_t& context, std::shared_ptr<const Enrolment> enrolment, std::set<unsigned> allowed_ipc_uids);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  void set_enrolment(std::shared_ptr<const Enrolment> enrolment);
  std::shared_ptr<const Enrolment> enrolment() const;
  // The keys a coordinator admits on its worker endpoint (ZAP domain
  // cluster::kWorkerZapDomain); replaced on reload.
  void set_worker_keys(std::set<std::string> keys);

 private:
  void run();

  zmq::socket_t socket_;
  std::set<unsigned> allowed_ipc_uids_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Enrolment> enrolment_;
  std::set<std::string> worker_keys_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pgclone::agent::trust
