// The HTTP side of `--metrics-listen` (CLI.md): /metrics in Prometheus's
// text format, /healthz (the process answers) and /readyz (the data is
// open and calls are accepted; 503 with the reason otherwise).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace roster::server {

class server_metrics;

class metrics_endpoint {
 public:
  // Why the server is not ready, or nullopt when it is.
  using readiness = std::function<std::optional<std::string>()>;

  // Listens on `listen` (HOST:PORT; port 0 lets the kernel pick one).
  // Throws std::runtime_error when it cannot.
  metrics_endpoint(const std::string& listen, const server_metrics& metrics, readiness not_ready);
  ~metrics_endpoint();
  metrics_endpoint(const metrics_endpoint&) = delete;
  metrics_endpoint& operator=(const metrics_endpoint&) = delete;

  // HOST:PORT actually bound.
  std::string address() const;

 private:
  struct server;
  std::unique_ptr<server> server_;
};

}  // namespace roster::server
