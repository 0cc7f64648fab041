// A TCP listener on 127.0.0.1 that never accepts: connects complete in the
// kernel's backlog and whatever a client sends is never read — a PostgreSQL
// server that hangs before it says anything.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace pgclone::agent::testing {

class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
  }
  // Closing resets the connections still queued, which ends clients (such as
  // PQcancel threads) waiting on them.
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  int fd() const { return fd_; }
  int port() const { return port_; }
  std::string conninfo(const std::string& extra = "") const {
    return "host=127.0.0.1 port=" + std::to_string(port_) +
           " dbname=d user=u sslmode=disable gssencmode=disable " + extra;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace pgclone::agent::testing
