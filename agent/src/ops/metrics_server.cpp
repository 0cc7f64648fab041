#include "ops/metrics_server.h"

#include <httplib.h>

#include <stdexcept>

#include "util/log.h"

namespace pgclone::agent::ops {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

HostPort split(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    throw std::runtime_error("--metrics-listen must be HOST:PORT, e.g. 127.0.0.1:9187, not \"" + address + "\"");
  }
  HostPort out;
  out.host = address.substr(0, colon);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  const std::string port = address.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) > 65535 ||
      std::stoi(port) == 0) {
    throw std::runtime_error("--metrics-listen has no valid port: \"" + address + "\"");
  }
  out.port = std::stoi(port);
  return out;
}

}  // namespace

MetricsServer::MetricsServer(const std::string& address, Render render) : server_(std::make_unique<httplib::Server>()) {
  const HostPort where = split(address);
  server_->Get("/metrics", [render](const httplib::Request&, httplib::Response& response) {
    response.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  // Small and bounded: a scraper sends nothing worth reading.
  server_->set_payload_max_length(1024);
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  if (!server_->bind_to_port(where.host.c_str(), where.port)) {
    throw std::runtime_error("cannot listen for metrics on " + address);
  }
  log::info("metrics on http://", address, "/metrics");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

MetricsServer::~MetricsServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pgclone::agent::ops
