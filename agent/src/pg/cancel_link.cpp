#include "pg/cancel_link.h"

#include <sys/socket.h>

#include <atomic>
#include <thread>

namespace pgclone::agent::pg {
namespace {

// A server that accepts cancel requests but never answers keeps its PQcancel
// thread forever; past this many, cancels rely on the hard stop alone, so a
// hostile server cannot make the agent pile up threads.
constexpr int kMaxCancelRequestsInFlight = 64;
std::atomic<int> g_cancel_requests_in_flight{0};

bool reserve_cancel_request() {
  int n = g_cancel_requests_in_flight.load();
  while (n < kMaxCancelRequestsInFlight) {
    if (g_cancel_requests_in_flight.compare_exchange_weak(n, n + 1)) return true;
  }
  return false;
}

}  // namespace

std::shared_ptr<CancelLink> CancelLink::create(PGcancel* cancel, int socket) {
  return std::shared_ptr<CancelLink>(new CancelLink(cancel, socket));
}

CancelLink::CancelLink(PGcancel* cancel, int socket) : socket_(socket) {
  if (cancel) cancel_.reset(cancel, PQfreeCancel);
}

void CancelLink::call_started() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (depth_++ == 0) ++call_;
}

void CancelLink::call_finished() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--depth_ == 0) changed_.notify_all();
}

void CancelLink::cancel(std::chrono::milliseconds hard_stop_delay) noexcept {
  std::shared_ptr<PGcancel> request;
  std::uint64_t watch = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (socket_ < 0) return;
    // One request at a time per connection is enough: the server cancels
    // whatever runs when it gets it.
    if (cancel_ && !request_in_flight_ && reserve_cancel_request()) {
      request_in_flight_ = true;
      request = cancel_;
    }
    if (depth_ > 0 && watched_call_ != call_) watch = watched_call_ = call_;
  }
  if (request) send_cancel_request(std::move(request));
  if (watch == 0) return;
  try {
    std::thread([self = shared_from_this(), watch, hard_stop_delay] {
      self->hard_stop_after(watch, hard_stop_delay);
    }).detach();
  } catch (...) {
    hard_stop_after(watch, std::chrono::milliseconds(0));  // no thread to wait in: stop now
  }
}

void CancelLink::send_cancel_request(std::shared_ptr<PGcancel> request) noexcept {
  auto done = [self = shared_from_this()] {
    --g_cancel_requests_in_flight;
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->request_in_flight_ = false;
  };
  try {
    std::thread([request, done] {
      char errbuf[256];
      (void)PQcancel(request.get(), errbuf, sizeof errbuf);
      done();
    }).detach();
  } catch (...) {
    done();  // the hard stop still ends the call
  }
}

void CancelLink::hard_stop_after(std::uint64_t call, std::chrono::milliseconds delay) noexcept {
  std::shared_ptr<PGcancel> request;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool call_ended =
        changed_.wait_for(lock, delay, [&] { return socket_ < 0 || depth_ == 0 || call_ != call; });
    if (call_ended) return;
    // The first request may have reached the server between two statements
    // of a pipeline, where a backend reading its next command drops it; the
    // statement after may wait for a lock for good, holding the locks of its
    // transaction after our call has given up. One more request ends it
    // (its transaction aborts and lets them go).
    if (cancel_ && !request_in_flight_ && reserve_cancel_request()) {
      request_in_flight_ = true;
      request = cancel_;
    }
    // The socket stays open (the owner closes it), so its number cannot be
    // reused while the owner's libpq calls still refer to it.
    ::shutdown(socket_, SHUT_RDWR);
  }
  if (request) send_cancel_request(std::move(request));
}

void CancelLink::detach_socket() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  socket_ = -1;
  cancel_.reset();
  changed_.notify_all();
}

}  // namespace pgclone::agent::pg
