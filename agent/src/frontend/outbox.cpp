#include "frontend/outbox.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace pgclone::agent::frontend {

Outbox::Outbox() : event_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (event_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

Outbox::~Outbox() { close(event_fd_); }

void Outbox::push(OutgoingMessage message) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(message));
  }
  const std::uint64_t one = 1;
  // A full counter already means "wake up"; nothing to do on EAGAIN.
  [[maybe_unused]] ssize_t written = write(event_fd_, &one, sizeof one);
}

std::deque<OutgoingMessage> Outbox::drain() {
  std::uint64_t count;
  [[maybe_unused]] ssize_t got = read(event_fd_, &count, sizeof count);
  std::lock_guard<std::mutex> lock(mutex_);
  std::deque<OutgoingMessage> out;
  out.swap(queue_);
  return out;
}

}  // namespace pgclone::agent::frontend
