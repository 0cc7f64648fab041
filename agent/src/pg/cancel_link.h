// What another thread needs to stop a connection's current call without
// touching its PGconn, which only the owning thread may use: the server's
// cancel key and the socket. The connection and every thread a cancel starts
// share it (shared_ptr), so nobody outlives what it uses, and the socket is
// never touched once the owner has begun to close the connection (its number
// could by then belong to another connection).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include <libpq-fe.h>

namespace pgclone::agent::pg {

class CancelLink : public std::enable_shared_from_this<CancelLink> {
 public:
  // Takes ownership of `cancel` (may be null: then no cancel request is sent).
  static std::shared_ptr<CancelLink> create(PGcancel* cancel, int socket);
  CancelLink(const CancelLink&) = delete;
  CancelLink& operator=(const CancelLink&) = delete;

  // The owner brackets every round trip with these (nesting allowed), so that
  // a hard stop hits only a call that was running when the cancel came.
  void call_started() noexcept;
  void call_finished() noexcept;

  // Sends the server a cancel request from a detached thread (PG15's PQcancel
  // waits for the server without a timeout), and if the call that runs now
  // is still running after `hard_stop_delay`, shuts the socket down so that
  // the owner's blocked libpq call returns. Returns at once; never throws.
  void cancel(std::chrono::milliseconds hard_stop_delay) noexcept;

  // The owner is about to close the connection; waits for a hard stop in
  // progress to finish.
  void detach_socket() noexcept;

 private:
  CancelLink(PGcancel* cancel, int socket);
  void send_cancel_request(std::shared_ptr<PGcancel> cancel) noexcept;
  void hard_stop_after(std::uint64_t call, std::chrono::milliseconds delay) noexcept;

  std::mutex mutex_;
  std::condition_variable changed_;  // a call ended or the socket was detached
  std::shared_ptr<PGcancel> cancel_;
  int socket_;
  int depth_ = 0;                  // nested calls running
  std::uint64_t call_ = 0;         // number of the current (or last) outermost call
  std::uint64_t watched_call_ = 0;  // call a hard-stop timer already waits on
  bool request_in_flight_ = false;
};

// How long a cancelled call may go on before its socket is shut down.
inline constexpr std::chrono::milliseconds kHardStopDelay{1000};

}  // namespace pgclone::agent::pg
