#include "frontend/router_loop.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <zmq.hpp>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"
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

bool receive_message(zmq::socket_t& socket, std::vector<std::string>* frames) {
  frames->clear();
  for (;;) {
    zmq::message_t part;
    if (!socket.recv(part, zmq::recv_flags::dontwait)) return !frames->empty();
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
      handler_(manager, config_.endpoint) {}

void RouterLoop::run() {
  zmq::context_t context(1);
  zmq::socket_t socket(context, zmq::socket_type::router);
  socket.set(zmq::sockopt::maxmsgsize, protocol::kMaxMessageBytes);
  socket.set(zmq::sockopt::linger, 1000);
  socket.bind(config_.endpoint);
  log::info("pgclone-agent ", protocol::kProductVersion, " listening on ", config_.endpoint,
            " (protocol ", protocol::kProtocolMajor, ")");

  auto next_heartbeat = std::chrono::steady_clock::now() + kHeartbeatInterval;
  std::vector<std::string> frames;
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
      log::info("received signal ", info.ssi_signo, ": stopping; in-flight jobs are cancelled");
      stop = true;
    }
    if (items[0].revents & ZMQ_POLLIN) {
      // Drain a bounded batch so the outbox and signals are never starved.
      for (int i = 0; i < 256 && receive_message(socket, &frames); ++i) {
        if (frames.size() < 2) {
          log::warn("dropped a message without an identity frame");
          continue;
        }
        const std::string identity = frames.front();
        frames.erase(frames.begin());
        const std::string reply = handler_.handle(identity, frames);
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
