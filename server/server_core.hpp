// What every Roster process runs, whether rosterd or a service embedding
// Roster: the LMDB store, the shared runtime, CAF's actor system and the
// directory actor. RPC comes on top (rpc_service.hpp).
#pragma once

#include <kj/io.h>
#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>

#include "actors/support/runtime.hpp"
#include "server/online_backup.hpp"
#include "server/server_config.hpp"
#include "storage/lmdb_store.hpp"

namespace roster::server {

class server_core {
 public:
  // Opens the data directory (throws std::runtime_error, or lmdb_error, when
  // it cannot or when the configuration is invalid) and starts the actors.
  // `observer`, when not null, is told of every commit (metrics).
  explicit server_core(server_config& cfg, storage::commit_observer* observer = nullptr);
  // Stops the actors, waits for them, then commits what is still queued.
  ~server_core();

  server_core(const server_core&) = delete;
  server_core& operator=(const server_core&) = delete;

  caf::actor_system& system() { return *system_; }
  const caf::actor& directory() const { return directory_; }
  actors::runtime& runtime() { return runtime_; }
  storage::commit_stats storage_stats() const { return store_.stats(); }
  online_backup& backups() { return backups_; }

 private:
  kj::AutoCloseFd data_dir_lock_;  // held for the life of the core, released last
  storage::lmdb_store store_;
  online_backup backups_;
  actors::system_clock clock_;
  actors::runtime runtime_;
  std::unique_ptr<caf::actor_system> system_;
  caf::actor directory_;
};

}  // namespace roster::server
