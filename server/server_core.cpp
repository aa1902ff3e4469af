#include "server/server_core.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include <caf/event_based_actor.hpp>

#include "actors/directory/directory_actor.hpp"

namespace roster::server {
namespace {

// One process per data directory: two would each hold actors over the same
// records. The kernel releases the lock when the process dies, even by SIGKILL.
kj::AutoCloseFd lock_data_dir(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  auto path = (std::filesystem::path(data_dir) / "rosterd.lock").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  kj::AutoCloseFd lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    throw std::runtime_error("another rosterd is using " + data_dir + " (" + path + " is locked)");
  return lock;
}

actors::settings settings_of(const server_config& cfg) {
  actors::settings settings;
  // An invitation that expires as it is made could never be accepted.
  constexpr std::size_t ten_years = std::size_t{10} * 365 * 24;
  if (cfg.invitation_ttl_hours == 0 || cfg.invitation_ttl_hours > ten_years)
    throw std::runtime_error("--invitation-ttl-hours is 1 to " + std::to_string(ten_years) + ", not " +
                             std::to_string(cfg.invitation_ttl_hours));
  settings.invitation_ttl = static_cast<actors::millis>(cfg.invitation_ttl_hours) * 3600 * 1000;
  if (cfg.team_creation != "everyone" && cfg.team_creation != "team_managers")
    throw std::runtime_error("--team-creation is everyone or team_managers, not " + cfg.team_creation);
  settings.who_creates_teams =
      cfg.team_creation == "everyone" ? actors::team_creation::everyone : actors::team_creation::team_managers;
  settings.passivate_after = static_cast<actors::millis>(cfg.passivate_after_ms);
  return settings;
}

// A full disk under LMDB or its recovery is for the operator to see at once:
// a line on stderr (rare: at the first failure and at the recovery).
storage::store_options store_options_of(const server_config& cfg, storage::commit_observer* observer) {
  storage::store_options options{cfg.data_dir};
  options.kept_log_bytes = cfg.change_window_mb << 20;
  options.log_segment_bytes = std::max<std::size_t>(cfg.log_segment_mb, 1) << 20;
  options.report = [](const std::string& line) { std::cerr << "roster storage: " << line << std::endl; };
  options.observer = observer;
  return options;
}

}  // namespace

server_core::server_core(server_config& cfg, storage::commit_observer* observer)
    : data_dir_lock_(lock_data_dir(cfg.data_dir)),
      store_(store_options_of(cfg, observer)),
      backups_(store_, cfg.data_dir),
      runtime_(store_, clock_, settings_of(cfg)) {
  system_ = std::make_unique<caf::actor_system>(cfg);
  directory_ = actors::spawn_directory(*system_, &runtime_);
}

server_core::~server_core() {
  backups_.finish();
  caf::anon_send_exit(directory_, caf::exit_reason::user_shutdown);
  directory_ = nullptr;
  system_.reset();  // waits for every actor to finish
  store_.close();   // commits whatever is still queued
}

}  // namespace roster::server
