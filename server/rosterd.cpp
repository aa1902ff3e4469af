// rosterd: the Roster server. One KJ event loop serves Cap'n Proto RPC; CAF's
// scheduler runs the actors; one storage thread commits to LMDB.
#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/debug.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "actors/messages.hpp"
#include "server/metrics/metrics_endpoint.hpp"
#include "server/metrics/server_metrics.hpp"
#include "server/rpc_service.hpp"
#include "server/server_config.hpp"
#include "server/server_core.hpp"
#include "server/service_token.hpp"

namespace {

using namespace roster;

// Each connection holds a descriptor; the usual soft limit (1,024) would
// run out long before --max-connections. Raise it as far as the hard limit
// allows, and say so when that is still short.
void allow_descriptors_for(std::size_t connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(connections) + 256;  // data files, log, loops
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < wanted)
    std::cerr << "rosterd: at most " << limit.rlim_cur << " open files (RLIMIT_NOFILE): fewer than " << connections
              << " connections will fit; new ones wait until others close" << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  server::server_config cfg;
  cfg.add_message_types<caf::id_block::roster>();
  cfg.set("logger.verbosity", caf::atom("quiet"));
  auto args = server::normalize_flags(argc, argv);
  for (const auto& arg : args)
    if (arg == "-h" || arg == "-?" || arg == "--help" || arg == "--long-help")
      std::cerr << "rosterd: the Roster teams-and-permissions server.\n"
                   "Usage: rosterd [--listen HOST:PORT] [--data-dir DIR] [--tokens-file FILE] "
                   "[--tls-cert FILE --tls-key FILE] [--metrics-listen HOST:PORT] "
                   "[--config-file FILE]\n"
                   "Options may also come from an .ini file (--config-file); flags win. "
                   "CAF's own options (scheduler.*) are listed by --long-help.\n\n";
  if (auto err = cfg.parse(args)) {
    std::cerr << "rosterd: " << cfg.render(err) << "\n";
    return 2;
  }
  if (cfg.cli_helptext_printed) return 0;

  try {
    allow_descriptors_for(cfg.max_connections);
    std::filesystem::create_directories(cfg.data_dir);
    bool created = false;
    auto tokens = server::service_tokens(cfg.tokens_file, cfg.data_dir, &created);
    if (created)
      std::cerr << "rosterd: wrote a new service token to " << cfg.data_dir << "/service.token (mode 0600)\n";

    // Served from before the data opens (a long log replay is alive, not
    // ready) until after the last call. Made before the event loop, so that
    // they outlive it: a call the loop still holds when it goes (a watch)
    // ends then, and tells the metrics.
    server::server_metrics metrics;
    std::atomic<const char*> not_ready{"opening the data"};

    // Signals must be captured before the event loop exists.
    kj::UnixEventPort::captureSignal(SIGTERM);
    kj::UnixEventPort::captureSignal(SIGINT);
    auto io = kj::setupAsyncIo();

    std::unique_ptr<server::metrics_endpoint> metrics_http;
    if (!cfg.metrics_listen.empty()) {
      metrics_http = std::make_unique<server::metrics_endpoint>(cfg.metrics_listen, metrics,
                                                                [&not_ready]() -> std::optional<std::string> {
                                                                  if (auto* why = not_ready.load())
                                                                    return std::string(why);
                                                                  return std::nullopt;
                                                                });
      std::cerr << "rosterd: metrics on http://" << metrics_http->address() << "/metrics" << std::endl;
    }

    {
      auto opening = std::chrono::steady_clock::now();
      server::server_core core(cfg, &metrics);
      metrics.watch(&core);
      auto unwatch = kj::defer([&metrics]() { metrics.watch(nullptr); });  // however this block ends
      auto opened = std::chrono::duration<double>(std::chrono::steady_clock::now() - opening).count();
      std::cerr << "rosterd: data opened in " << static_cast<long>(opened * 1000) << " ms";
      if (auto replayed = core.storage_stats().replayed_frames)
        std::cerr << " (" << replayed << " log frames not yet in LMDB replayed into it)";
      std::cerr << std::endl;
      // Until SIGINT or SIGTERM; then the calls in flight finish.
      auto stop = io.unixEventPort.onSignal(SIGTERM)
                      .exclusiveJoin(io.unixEventPort.onSignal(SIGINT))
                      .then([&not_ready](siginfo_t signal) {
                        not_ready = "stopping";
                        std::cerr << "rosterd: signal " << signal.si_signo << ", finishing calls in flight"
                                  << std::endl;
                      });
      server::serve_rpc(
          io, cfg, core, tokens, kj::mv(stop),
          [&cfg, &not_ready](const std::string& address) {
            not_ready = nullptr;
            std::cerr << "rosterd: listening on " << address << ", data in " << cfg.data_dir << std::endl;
          },
          &metrics);
    }  // stops the actors, waits for them, commits what is queued
    std::cerr << "rosterd: stopped cleanly" << std::endl;
    return 0;
  } catch (const kj::Exception& e) {
    std::cerr << "rosterd: " << e.getDescription().cStr() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "rosterd: " << e.what() << "\n";
  }
  return 1;
}
