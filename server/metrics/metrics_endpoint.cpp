#include "server/metrics/metrics_endpoint.hpp"

#include <CivetServer.h>

#include <stdexcept>
#include <vector>

#include "server/metrics/server_metrics.hpp"

namespace roster::server {
namespace {

void reply(mg_connection* conn, int status, const char* content_type, const std::string& body) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
            "Connection: close\r\n\r\n",
            status, mg_get_response_code_text(conn, status), content_type, body.size());
  mg_write(conn, body.data(), body.size());
}

class metrics_handler final : public CivetHandler {
 public:
  explicit metrics_handler(const server_metrics& metrics) : metrics_(metrics) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    reply(conn, 200, "text/plain; version=0.0.4; charset=utf-8", metrics_.scrape());
    return true;
  }

 private:
  const server_metrics& metrics_;
};

class health_handler final : public CivetHandler {
 public:
  bool handleGet(CivetServer*, mg_connection* conn) override {
    reply(conn, 200, "text/plain; charset=utf-8", "ok\n");
    return true;
  }
};

class ready_handler final : public CivetHandler {
 public:
  explicit ready_handler(metrics_endpoint::readiness not_ready) : not_ready_(std::move(not_ready)) {}
  bool handleGet(CivetServer*, mg_connection* conn) override {
    if (auto why = not_ready_()) {
      reply(conn, 503, "text/plain; charset=utf-8", "not ready: " + *why + "\n");
    } else {
      reply(conn, 200, "text/plain; charset=utf-8", "ready\n");
    }
    return true;
  }

 private:
  metrics_endpoint::readiness not_ready_;
};

// HOST:PORT as civetweb spells a listening port: an IPv6 host in brackets
// stays so; "localhost" is not resolved by civetweb, so it binds 127.0.0.1.
std::string civetweb_port(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--metrics-listen wants HOST:PORT, got \"" + listen + "\"");
  auto host = listen.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  return host + ":" + listen.substr(colon + 1);
}

}  // namespace

struct metrics_endpoint::server {
  server(const std::string& listen, const server_metrics& metrics, readiness not_ready)
      : host(listen.substr(0, listen.rfind(':'))),
        metrics_page(metrics),
        ready_page(std::move(not_ready)),
        // Two threads: a scrape and a probe at once; more would be idle.
        http({"listening_ports", civetweb_port(listen), "num_threads", "2", "enable_directory_listing", "no"}) {
    http.addHandler("/metrics", metrics_page);
    http.addHandler("/healthz", health_page);
    http.addHandler("/readyz", ready_page);
  }

  std::string host;
  metrics_handler metrics_page;
  health_handler health_page;
  ready_handler ready_page;
  CivetServer http;  // last: it stops, joining its threads, before the handlers go
};

metrics_endpoint::metrics_endpoint(const std::string& listen, const server_metrics& metrics, readiness not_ready) {
  try {
    server_ = std::make_unique<server>(listen, metrics, std::move(not_ready));
  } catch (const CivetException& e) {
    throw std::runtime_error("cannot serve metrics on " + listen + ": " + e.what());
  }
}

metrics_endpoint::~metrics_endpoint() = default;

std::string metrics_endpoint::address() const {
  auto ports = server_->http.getListeningPorts();
  return server_->host + ":" + (ports.empty() ? std::string("?") : std::to_string(ports.front()));
}

}  // namespace roster::server
