#include "server/server_config.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <thread>

namespace roster::server {

namespace {

// Built with clang (scripts/sanitize, scripts/fuzz) against Debian's
// gcc-built CAF, the guard of CAF's per-type option tables is shared with the
// library while the table itself may not be: the library's first use sets
// the guard and leaves the executable's copy empty. Initializing ours before
// any CAF configuration exists keeps both filled.
const bool caf_option_tables_ready = [] {
  (void)caf::detail::option_meta_state_instance<std::size_t>();
  (void)caf::detail::option_meta_state_instance<std::string>();
  return true;
}();

}  // namespace

server_config::server_config() {
  (void)caf_option_tables_ready;
  // Measured on 2 cores (bench/RESULTS.md): the RPC thread needs a core of its
  // own; CAF's default of max(cores, 4) work-stealing workers that poll and
  // sleep costs latency. One core fewer than the machine, sharing policy.
  // --scheduler.policy / --scheduler.max-threads override these.
  auto cores = std::max(2u, std::thread::hardware_concurrency());
  set("scheduler.policy", caf::atom("sharing"));
  set("scheduler.max-threads", static_cast<std::size_t>(cores - 1));
  opt_group{custom_options_, "global"}
      .add(listen, "listen", "address to listen on, HOST:PORT (default 127.0.0.1:4100)")
      .add(data_dir, "data-dir", "directory of the LMDB data, created if missing (default ./data)")
      .add(tokens_file, "tokens-file",
           "file of service tokens, one per line; without it, DATA_DIR/service.token is used, "
           "created with a new random token on first start")
      .add(tls_cert, "tls-cert", "PEM certificate chain: with --tls-key, every connection speaks TLS")
      .add(tls_key, "tls-key", "PEM private key of --tls-cert (keep it mode 0600)")
      .add(request_timeout_ms, "request-timeout-ms", "how long a call may take inside the server (default 10000)")
      .add(max_in_flight, "max-in-flight",
           "calls waiting inside the server at once; beyond, overloaded (default 100000)")
      .add(max_in_flight_per_connection, "max-in-flight-per-connection",
           "calls one connection may have waiting inside the server; beyond, overloaded (default 10000)")
      .add(max_connections, "max-connections",
           "connections open at once; beyond, new ones are closed as they arrive (default 10000)")
      .add(rpc_threads, "rpc-threads", "threads serving RPC, each with its own connections (default 1)")
      .add(busy_poll_us, "busy-poll-us",
           "after each call read, an RPC thread polls this long for the next before it sleeps (default 0: it sleeps at "
           "once)")
      .add(invitation_ttl_hours, "invitation-ttl-hours", "how long an invitation stays pending (default 336 = 14 days)")
      .add(team_creation, "team-creation",
           "who may create teams: everyone (default) or team_managers (users an admin flagged, and admins)")
      .add(shutdown_grace_ms, "shutdown-grace-ms",
           "on SIGINT/SIGTERM, how long to wait for calls in flight (default 30000)")
      .add(revision_wait_ms, "revision-wait-ms",
           "how long a read waits for the revision it names before answering revision_not_reached (default 1000)")
      .add(metrics_listen, "metrics-listen",
           "HOST:PORT to serve /metrics (Prometheus), /healthz and /readyz over HTTP (default: off)")
      .add(change_window_mb, "change-window-mb",
           "the write-ahead log kept for watchers once applied, in MiB: how far back a watch may start "
           "(default 256; 0: only what LMDB does not hold yet)")
      .add(log_segment_mb, "log-segment-mb",
           "the size of a write-ahead log file, in MiB: the window grows and shrinks by whole files (default 64)")
      .add(passivate_after_ms, "passivate-after-ms",
           "a user, team or project unused this long leaves memory until next used (default 60000; 0: never)");
}

std::vector<std::string> normalize_flags(int argc, char** argv) {
  static constexpr std::array<std::string_view, 20> with_value = {"--listen",
                                                                  "--data-dir",
                                                                  "--tokens-file",
                                                                  "--config-file",
                                                                  "--request-timeout-ms",
                                                                  "--invitation-ttl-hours",
                                                                  "--shutdown-grace-ms",
                                                                  "--team-creation",
                                                                  "--max-in-flight",
                                                                  "--passivate-after-ms",
                                                                  "--rpc-threads",
                                                                  "--tls-cert",
                                                                  "--tls-key",
                                                                  "--max-in-flight-per-connection",
                                                                  "--max-connections",
                                                                  "--busy-poll-us",
                                                                  "--metrics-listen",
                                                                  "--revision-wait-ms",
                                                                  "--change-window-mb",
                                                                  "--log-segment-mb"};
  std::vector<std::string> out;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    bool takes_value = false;
    for (auto name : with_value) takes_value |= arg == name;
    if (takes_value && i + 1 < argc) {
      out.push_back(std::string(arg) + "=" + argv[++i]);
    } else {
      out.emplace_back(arg);
    }
  }
  return out;
}

}  // namespace roster::server
