#pragma once
// The agent's metrics endpoint (--metrics-listen HOST:PORT): plain HTTP,
// GET /metrics answers Prometheus text, GET /healthz "ok". It shows counts
// and names of workers only — no connection string, role or table — and
// listens on loopback unless --allow-remote.

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace pgclone::agent::ops {

class MetricsServer {
 public:
  using Render = std::function<std::string()>;
  // address: "127.0.0.1:9187" or "[::1]:9187". Throws std::runtime_error
  // when it is malformed or cannot be bound.
  MetricsServer(const std::string& address, Render render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace pgclone::agent::ops
