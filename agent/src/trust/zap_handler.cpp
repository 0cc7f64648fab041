#include "trust/zap_handler.h"

#include <chrono>
#include <vector>

#include "trust/zap_policy.h"
#include "trust/worker_keys.h"
#include "util/log.h"
#include "util/throttled_log.h"

namespace pgclone::agent::trust {

ZapHandler::ZapHandler(zmq::context_t& context, std::shared_ptr<const Enrolment> enrolment,
                       std::set<unsigned> allowed_ipc_uids)
    : socket_(context, zmq::socket_type::rep),
      allowed_ipc_uids_(std::move(allowed_ipc_uids)),
      enrolment_(std::move(enrolment)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  thread_ = std::thread([this] { run(); });
}

ZapHandler::~ZapHandler() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ZapHandler::set_enrolment(std::shared_ptr<const Enrolment> enrolment) {
  std::lock_guard<std::mutex> lock(mutex_);
  enrolment_ = std::move(enrolment);
}

void ZapHandler::set_worker_keys(std::set<std::string> keys) {
  std::lock_guard<std::mutex> lock(mutex_);
  worker_keys_ = std::move(keys);
}

std::shared_ptr<const Enrolment> ZapHandler::enrolment() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return enrolment_;
}

void ZapHandler::run() {
  log::Throttle refusals;
  std::vector<zmq::message_t> frames;
  while (!stop_) {
    zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
    try {
      if (zmq::poll(&item, 1, std::chrono::milliseconds(200)) == 0) continue;
      frames.clear();
      for (;;) {
        zmq::message_t part;
        if (!socket_.recv(part, zmq::recv_flags::dontwait)) break;
        const bool more = part.more();
        if (frames.size() < 16) frames.push_back(std::move(part));
        if (!more) break;
      }
      // version, request id, domain, address, routing id, mechanism, credentials...
      // libzmq always sends at least six; REP must answer whatever came.
      if (frames.size() < 6) {
        socket_.send(zmq::buffer(std::string("1.0")), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(frames.size() > 1 ? frames[1].to_string() : std::string()), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string("500")), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string("malformed request")), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string()), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string()), zmq::send_flags::none);
        continue;
      }
      ZapRequest request;
      request.domain = frames[2].to_string();
      request.address = frames[3].to_string();
      request.mechanism = frames[5].to_string();
      for (std::size_t i = 6; i < frames.size(); ++i) request.credentials.push_back(frames[i].to_string());
      ZapDecision decision;
      if (request.domain == kWorkerZapDomain) {
        std::lock_guard<std::mutex> lock(mutex_);
        decision = decide_worker(request, worker_keys_);
      } else {
        decision = decide(request, *enrolment(), allowed_ipc_uids_);
      }
      if (!decision.allowed) refusals.warn("refused a connection from " + request.address + ": " + decision.status_text);
      socket_.send(zmq::buffer(std::string("1.0")), zmq::send_flags::sndmore);
      socket_.send(frames[1], zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(std::string(decision.allowed ? "200" : "400")), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(decision.status_text), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(decision.user_id), zmq::send_flags::sndmore);
      socket_.send(zmq::buffer(std::string()), zmq::send_flags::none);
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) return;
      if (e.num() != EINTR) log::error("authentication handler: ", e.what());
    }
  }
}

}  // namespace pgclone::agent::trust
