// A PostgreSQL server on 127.0.0.1 that speaks just enough of the protocol to
// log one client in, then answers as scripted — or never again, like a broken
// or hostile server — for tests of cancelling and of the source policy.
#pragma once

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

#include "silent_listener.h"

namespace pgclone::agent::testing {

// Accepts one client, logs it in (asking for a cleartext password when told
// to), then either never reads again (answer_after < 0) or answers every
// query message with an empty-query result after answer_after. Cancel
// requests go unanswered: they queue on the listener.
class FakePgServer {
 public:
  struct Script {
    bool ask_password = false;
    std::chrono::milliseconds answer_after{-1};
  };

  explicit FakePgServer(Script script) : script_(script), thread_([this] { serve(); }) {}
  ~FakePgServer() {
    stop_ = true;
    thread_.join();
    if (client_ >= 0) ::close(client_);
  }
  FakePgServer(const FakePgServer&) = delete;
  FakePgServer& operator=(const FakePgServer&) = delete;

  std::string conninfo() const { return listener_.conninfo("password=pw"); }

 private:
  // Waits until `fd` is readable or the server is stopping.
  bool readable(int fd) {
    while (!stop_) {
      pollfd pfd{fd, POLLIN, 0};
      if (::poll(&pfd, 1, 20) > 0) return true;
    }
    return false;
  }
  bool read_exactly(char* buffer, std::size_t n) {
    for (std::size_t got = 0; got < n;) {
      if (!readable(client_)) return false;
      const ssize_t r = ::recv(client_, buffer + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<std::size_t>(r);
    }
    return true;
  }
  // One message: an optional type byte, then a length that counts itself.
  bool read_message(bool typed) {
    char header[5];
    const std::size_t header_size = typed ? 5 : 4;
    if (!read_exactly(header, header_size)) return false;
    std::uint32_t length = 0;
    std::memcpy(&length, header + header_size - 4, 4);
    std::string body(ntohl(length) - 4, '\0');
    return read_exactly(body.data(), body.size());
  }
  void send_message(char type, const std::string& body) {
    const std::uint32_t length = htonl(static_cast<std::uint32_t>(body.size() + 4));
    std::string out(1, type);
    out.append(reinterpret_cast<const char*>(&length), 4);
    out += body;
    (void)::send(client_, out.data(), out.size(), MSG_NOSIGNAL);
  }
  static std::string int32(std::uint32_t v) {
    v = htonl(v);
    return std::string(reinterpret_cast<const char*>(&v), 4);
  }

  void serve() {
    if (!readable(listener_.fd())) return;
    client_ = ::accept(listener_.fd(), nullptr, nullptr);
    if (client_ < 0 || !read_message(false)) return;  // the startup packet
    if (script_.ask_password) {
      send_message('R', int32(3));  // AuthenticationCleartextPassword
      if (!read_message(true)) return;
    }
    send_message('R', int32(0));                  // AuthenticationOk
    send_message('K', int32(4242) + int32(1234));  // BackendKeyData
    send_message('Z', "I");                       // ReadyForQuery
    if (script_.answer_after.count() < 0) return;  // silent from now on
    while (read_message(true)) {
      std::this_thread::sleep_for(script_.answer_after);
      send_message('I', "");  // EmptyQueryResponse
      send_message('Z', "I");
    }
  }

  SilentListener listener_;
  const Script script_;
  std::atomic<bool> stop_{false};
  int client_ = -1;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace pgclone::agent::testing
