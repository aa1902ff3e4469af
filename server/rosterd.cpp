// rosterd: the Roster server. One KJ event loop serves Cap'n Proto RPC; CAF's
// scheduler runs the actors; one storage thread commits to LMDB.
#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/debug.h>

#include <fcntl.h>
#include <sys/file.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "actors/directory_actor.hpp"
#include "actors/messages.hpp"
#include "actors/runtime.hpp"
#include "server/actor_bridge.hpp"
#include "server/gateway.hpp"
#include "server/rpc_listener.hpp"
#include "server/server_config.hpp"
#include "server/service_token.hpp"
#include "storage/lmdb_store.hpp"

namespace {

using namespace roster;

std::vector<std::string> load_tokens(const server::server_config& cfg) {
  if (!cfg.tokens_file.empty()) return server::read_tokens(cfg.tokens_file);
  auto path = (std::filesystem::path(cfg.data_dir) / "service.token").string();
  bool created = false;
  auto tokens = server::read_or_create_token(path, &created);
  if (created) std::cerr << "rosterd: wrote a new service token to " << path << " (mode 0600)\n";
  return tokens;
}

// One rosterd per data directory: two would each hold actors over the same
// records. The kernel releases the lock when the process dies, even by SIGKILL.
kj::AutoCloseFd lock_data_dir(const std::string& data_dir) {
  auto path = (std::filesystem::path(data_dir) / "rosterd.lock").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  kj::AutoCloseFd lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    throw std::runtime_error("another rosterd is using " + data_dir + " (" + path + " is locked)");
  return lock;
}

// Serves until SIGINT or SIGTERM, then stops accepting, lets the calls in
// flight finish (bounded by the grace period) and returns.
void serve(kj::AsyncIoContext& io, server::server_config& cfg, caf::actor_system& system,
           const actors::runtime& rt, const caf::actor& directory, const std::vector<std::string>& tokens) {
  server::actor_bridge bridge(system, directory, io.unixEventPort, io.provider->getTimer(),
                              std::chrono::milliseconds(cfg.request_timeout_ms), cfg.max_in_flight);
  server::gateway_context gateway{bridge, tokens, rt};
  server::rpc_listener rpc(server::make_bootstrap(gateway));

  auto address = io.provider->getNetwork().parseAddress(cfg.listen).wait(io.waitScope);
  auto listener = address->listen();
  // The port actually bound: with port 0 the kernel picks one (tests do).
  auto host = cfg.listen.substr(0, cfg.listen.rfind(':'));
  std::cerr << "rosterd: listening on " << host << ":" << listener->getPort() << ", data in " << cfg.data_dir
            << std::endl;
  auto accepting = rpc.listen(*listener).eagerlyEvaluate([](kj::Exception&& e) {
    KJ_LOG(ERROR, "accept loop failed", e);
  });

  auto stop = io.unixEventPort.onSignal(SIGTERM).exclusiveJoin(io.unixEventPort.onSignal(SIGINT));
  auto signal = stop.wait(io.waitScope);
  std::cerr << "rosterd: signal " << signal.si_signo << ", finishing calls in flight" << std::endl;
  accepting = nullptr;  // stop accepting
  listener = nullptr;

  auto& timer = io.provider->getTimer();
  auto give_up = timer.now() + cfg.shutdown_grace_ms * kj::MILLISECONDS;
  while (bridge.in_flight() > 0 && timer.now() < give_up) timer.afterDelay(5 * kj::MILLISECONDS).wait(io.waitScope);
  if (bridge.in_flight() > 0) std::cerr << "rosterd: " << bridge.in_flight() << " calls still in flight, stopping anyway\n";
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
                   "[--config-file FILE]\n"
                   "Options may also come from an .ini file (--config-file); flags win. "
                   "CAF's own options (scheduler.*) are listed by --long-help.\n\n";
  if (auto err = cfg.parse(args)) {
    std::cerr << "rosterd: " << cfg.render(err) << "\n";
    return 2;
  }
  if (cfg.cli_helptext_printed) return 0;

  try {
    std::filesystem::create_directories(cfg.data_dir);
    auto data_dir_lock = lock_data_dir(cfg.data_dir);
    auto tokens = load_tokens(cfg);

    // Signals must be captured before the event loop exists.
    kj::UnixEventPort::captureSignal(SIGTERM);
    kj::UnixEventPort::captureSignal(SIGINT);
    auto io = kj::setupAsyncIo();

    storage::lmdb_store store(storage::store_options{cfg.data_dir});
    actors::system_clock clock;
    actors::settings settings;
    settings.invitation_ttl = static_cast<actors::millis>(cfg.invitation_ttl_hours) * 3600 * 1000;
    if (cfg.team_creation != "everyone" && cfg.team_creation != "team_managers")
      throw std::runtime_error("--team-creation is everyone or team_managers, not " + cfg.team_creation);
    settings.who_creates_teams =
        cfg.team_creation == "everyone" ? actors::team_creation::everyone : actors::team_creation::team_managers;
    actors::runtime rt(store, clock, settings);
    {
      caf::actor_system system(cfg);
      auto directory = system.spawn(actors::directory_actor, &rt);
      serve(io, cfg, system, rt, directory, tokens);
      caf::anon_send_exit(directory, caf::exit_reason::user_shutdown);
    }  // waits for every actor to finish
    store.close();  // commits whatever is still queued
    std::cerr << "rosterd: stopped cleanly" << std::endl;
    return 0;
  } catch (const kj::Exception& e) {
    std::cerr << "rosterd: " << e.getDescription().cStr() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "rosterd: " << e.what() << "\n";
  }
  return 1;
}
