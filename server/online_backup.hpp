// Online backups of a running server (`rosterctl backup DIR`): LMDB's
// consistent copy of the store, taken on a thread of its own so that
// neither the RPC loops nor the actors wait for it.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "actors/support/domain.hpp"

namespace roster::storage {
class lmdb_store;
}

namespace roster::server {

class online_backup {
 public:
  using done_callback = std::function<void(std::optional<actors::failure>)>;

  online_backup(storage::lmdb_store& store, std::string data_dir);
  ~online_backup();  // waits for a running backup

  online_backup(const online_backup&) = delete;
  online_backup& operator=(const online_backup&) = delete;

  // Starts copying everything acknowledged so far into `directory` (absolute;
  // created, or empty) and returns nullopt; `done` is called on the backup's
  // thread when it ends. Refuses at once, without calling `done`, when the
  // directory is unusable or another backup is running.
  std::optional<actors::failure> start(const std::string& directory, done_callback done);

  // Waits for a running backup to end.
  void finish();

 private:
  std::optional<actors::failure> copy(const std::string& directory);

  storage::lmdb_store& store_;
  std::string data_dir_;
  std::mutex mutex_;  // over thread_
  std::thread thread_;
  std::atomic<bool> running_{false};
};

}  // namespace roster::server
