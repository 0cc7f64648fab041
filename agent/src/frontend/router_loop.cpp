#include "frontend/router_loop.h"

#include <grp.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>

#include <chrono>
#include <zmq.hpp>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"
#include "ops/config_reload.h"
#include "trust/worker_keys.h"
#include "util/log.h"

namespace pgclone::agent::frontend {
namespace {

// Backends treat silence longer than pgclone.agent_timeout (at least 1 s) as
// a dead agent, so waiters hear from us well within that.
constexpr auto kHeartbeatInterval = std::chrono::milliseconds(400);

void send_to(zmq::socket_t& socket, const std::string& identity, const std::string& body) {
  const std::string tag = protocol::protocol_tag();
  try {
    // Non-blocking: a slow or vanished backend must never wedge the agent.
    if (!socket.send(zmq::buffer(identity), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
        !socket.send(zmq::buffer(tag), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
        !socket.send(zmq::buffer(body), zmq::send_flags::dontwait)) {
      log::warn("dropped a reply: peer is not reading");
    }
  } catch (const zmq::error_t& e) {
    log::warn("dropped a reply: ", e.what());
  }
}

// Reads one message; *client_key gets the peer's CURVE public key (the
// User-Id our ZAP handler gave the connection).
bool receive_message(zmq::socket_t& socket, std::vector<std::string>* frames, std::string* client_key) {
  frames->clear();
  client_key->clear();
  for (;;) {
    zmq::message_t part;
    if (!socket.recv(part, zmq::recv_flags::dontwait)) return !frames->empty();
    // The ROUTER's own identity frame carries no metadata; the peer's do.
    if (client_key->empty() && !frames->empty()) {
      const char* user_id = part.gets("User-Id");
      if (user_id != nullptr) *client_key = user_id;
    }
    frames->emplace_back(part.to_string());
    if (!part.more()) return true;
    if (frames->size() > 8) {
      // Swallow the rest of an oversized multipart message.
      while (part.more() && socket.recv(part, zmq::recv_flags::dontwait)) {
      }
      return true;
    }
  }
}

}  // namespace

RouterLoop::RouterLoop(RouterLoopConfig config, jobs::JobManager& manager, Outbox& outbox)
    : config_(std::move(config)),
      manager_(manager),
      outbox_(outbox),
      zap_(context_, config_.enrolment, config_.ipc.uids),
      verifier_(config_.verifier_threads, config_.max_pending_verifications),
      handler_(manager, config_.endpoint,
               RequestHandlerDeps{
                   [this](const trust::EnrolledServer& server, const protocol::Caller& caller,
                          trust::CallerVerifier::Done done) {
                     return verifier_.submit(server, caller, std::move(done));
                   },
                   [this] { return zap_.enrolment(); },
                   [this](const std::string& identity, std::string body) {
                     outbox_.push({identity, std::move(body)});
                   }}) {
  if (!config_.worker_keys_file.empty()) zap_.set_worker_keys(trust::load_worker_keys(config_.worker_keys_file));
}

void RouterLoop::reload() {
  ops::reload_log_level(config_.config_file);
  try {
    auto enrolment = std::make_shared<const trust::Enrolment>(trust::Enrolment::load(config_.servers_file));
    const std::size_t servers = enrolment->size();
    zap_.set_enrolment(std::move(enrolment));
    log::info("reloaded ", config_.servers_file, ": ", servers, " servers enrolled");
  } catch (const std::exception& e) {
    log::error("reload failed, the previous enrolment stays in force: ", e.what());
  }
  if (config_.worker_keys_file.empty()) return;
  try {
    std::set<std::string> keys = trust::load_worker_keys(config_.worker_keys_file);
    const std::size_t count = keys.size();
    zap_.set_worker_keys(std::move(keys));
    log::info("reloaded ", config_.worker_keys_file, ": ", count, " worker keys");
  } catch (const std::exception& e) {
    log::error("reload failed, the previous worker keys stay in force: ", e.what());
  }
}

// Who may even open the socket file: the mode and group the operator chose.
void RouterLoop::restrict_ipc_socket() const {
  if (config_.endpoint.rfind("ipc://", 0) != 0) return;
  const std::string path = config_.endpoint.substr(6);
  if (!config_.ipc.group.empty()) {
    const struct group* found = getgrnam(config_.ipc.group.c_str());
    if (found == nullptr) throw std::runtime_error("unknown group \"" + config_.ipc.group + "\" (--ipc-group)");
    if (chown(path.c_str(), static_cast<uid_t>(-1), found->gr_gid) != 0) {
      throw std::runtime_error("cannot chgrp " + path + ": " + std::strerror(errno));
    }
  }
  if (chmod(path.c_str(), static_cast<mode_t>(config_.ipc.mode)) != 0) {
    throw std::runtime_error("cannot chmod " + path + ": " + std::strerror(errno));
  }
}

void RouterLoop::run() {
  zmq::socket_t socket(context_, zmq::socket_type::router);
  socket.set(zmq::sockopt::maxmsgsize, protocol::kMaxRequestBytes);
  socket.set(zmq::sockopt::linger, 1000);
  socket.set(zmq::sockopt::curve_server, true);
  socket.set(zmq::sockopt::curve_secretkey, config_.agent_key.secret_key);
  socket.set(zmq::sockopt::zap_domain, "pgclone");
  // A backend that vanishes keeps no pipe (and its queued replies) forever.
  socket.set(zmq::sockopt::sndhwm, 1000);
  socket.bind(config_.endpoint);
  restrict_ipc_socket();
  log::info("pgclone-agent ", protocol::kProductVersion, " listening on ", config_.endpoint,
            " (protocol ", protocol::kProtocolMajor, ", CURVE public key ", config_.agent_key.public_key, ", ",
            config_.enrolment ? config_.enrolment->size() : 0, " servers enrolled)");

  auto next_heartbeat = std::chrono::steady_clock::now() + kHeartbeatInterval;
  std::vector<std::string> frames;
  std::string client_key;
  bool stop = false;
  while (!stop) {
    zmq::pollitem_t items[] = {
        {static_cast<void*>(socket), 0, ZMQ_POLLIN, 0},
        {nullptr, outbox_.fd(), ZMQ_POLLIN, 0},
        {nullptr, config_.signal_fd, ZMQ_POLLIN, 0},
    };
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_heartbeat - std::chrono::steady_clock::now());
    try {
      zmq::poll(items, 3, std::max(wait, std::chrono::milliseconds(0)));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    if (items[2].revents & ZMQ_POLLIN) {
      signalfd_siginfo info{};
      [[maybe_unused]] ssize_t got = read(config_.signal_fd, &info, sizeof info);
      if (info.ssi_signo == SIGHUP) {
        reload();
      } else {
        log::info("received signal ", info.ssi_signo, ": stopping; in-flight jobs are cancelled");
        stop = true;
      }
    }
    if (items[0].revents & ZMQ_POLLIN) {
      // Drain a bounded batch so the outbox and signals are never starved.
      for (int i = 0; i < 256 && receive_message(socket, &frames, &client_key); ++i) {
        if (frames.size() < 2) {
          log::warn("dropped a message without an identity frame");
          continue;
        }
        const std::string identity = frames.front();
        frames.erase(frames.begin());
        const std::string reply = handler_.handle(identity, client_key, frames);
        if (!reply.empty()) send_to(socket, identity, reply);
      }
    }
    if (items[1].revents & ZMQ_POLLIN) {
      for (const OutgoingMessage& message : outbox_.drain()) {
        send_to(socket, message.identity, message.body);
      }
    }
    if (std::chrono::steady_clock::now() >= next_heartbeat) {
      manager_.send_heartbeats();
      next_heartbeat = std::chrono::steady_clock::now() + kHeartbeatInterval;
    }
  }

  handler_.set_shutting_down();
  manager_.shutdown();
  for (const OutgoingMessage& message : outbox_.drain()) {
    send_to(socket, message.identity, message.body);
  }
  socket.close();  // linger delivers the final replies
  log::info("pgclone-agent stopped");
}

}  // namespace pgclone::agent::frontend
