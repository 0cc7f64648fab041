#pragma once
// Messages from worker threads to backends. ZeroMQ sockets are not thread
// safe, so workers queue here and the front-end thread, woken through an
// eventfd it polls next to the ROUTER socket, does the sending.

#include <deque>
#include <mutex>
#include <string>

namespace pgclone::agent::frontend {

struct OutgoingMessage {
  std::string identity;  // ROUTER routing id
  std::string body;      // encoded envelope
};

class Outbox {
 public:
  Outbox();
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void push(OutgoingMessage message);
  std::deque<OutgoingMessage> drain();
  int fd() const { return event_fd_; }

 private:
  int event_fd_;
  std::mutex mutex_;
  std::deque<OutgoingMessage> queue_;
};

}  // namespace pgclone::agent::frontend
