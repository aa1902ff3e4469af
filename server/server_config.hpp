// rosterd's settings, read through CAF's configuration: command-line flags
// and an .ini file (--config-file), flags winning over the file.
#pragma once

#include <caf/actor_system_config.hpp>

#include <string>

namespace roster::server {

class server_config : public caf::actor_system_config {
 public:
  server_config();

  std::string listen = "127.0.0.1:4100";
  std::string data_dir = "./data";
  std::string tokens_file;
  std::string tls_cert;  // with tls_key: the listener speaks TLS
  std::string tls_key;
  std::size_t request_timeout_ms = 10000;
  std::size_t max_in_flight = 100000;
  std::size_t max_in_flight_per_connection = 10000;
  std::size_t max_connections = 10000;
  std::size_t rpc_threads = 1;
  std::size_t busy_poll_us = 0;
  std::size_t invitation_ttl_hours = std::size_t{14} * 24;
  std::size_t shutdown_grace_ms = 30000;
  std::size_t passivate_after_ms = 60000;
  std::string team_creation = "everyone";
  std::string metrics_listen;  // HOST:PORT of /metrics, /healthz, /readyz; empty: off
  std::size_t revision_wait_ms = 1000;
  // C8: the log segments kept for watchers once LMDB holds them, and the
  // size at which the log starts a new segment.
  std::size_t change_window_mb = 256;
  std::size_t log_segment_mb = 64;
};

// CLI.md spells flags `--name VALUE`; CAF reads `--name=VALUE`. Rewrites the
// former into the latter for rosterd's own flags.
std::vector<std::string> normalize_flags(int argc, char** argv);

}  // namespace roster::server
