#include "server/online_backup.hpp"

#include <filesystem>
#include <system_error>

#include "storage/lmdb_store.hpp"

namespace roster::server {
namespace fs = std::filesystem;

online_backup::online_backup(storage::lmdb_store& store, std::string data_dir)
    : store_(store), data_dir_(std::move(data_dir)) {}

online_backup::~online_backup() { finish(); }

std::optional<actors::failure> online_backup::start(const std::string& directory, done_callback done) {
  fs::path target(directory);
  if (directory.empty() || !target.is_absolute())
    return actors::failure{
        ErrorCode::invalid_argument,
        "the backup directory must be an absolute path on the server's machine, not '" + directory + "'"};
  std::error_code ec;
  if (fs::exists(target, ec) && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec)))
    return actors::failure{ErrorCode::already_exists, directory + " exists and is not an empty directory"};
  if (fs::equivalent(target, data_dir_, ec))
    return actors::failure{ErrorCode::invalid_argument, "the backup directory cannot be the data directory"};

  std::lock_guard<std::mutex> lock(mutex_);
  if (running_.exchange(true))
    return actors::failure{ErrorCode::unavailable, "a backup is already running; try again when it ends"};
  if (thread_.joinable()) thread_.join();  // the last one, ended
  thread_ = std::thread([this, directory, done = std::move(done)] {
    auto outcome = copy(directory);
    running_.store(false);
    done(std::move(outcome));
  });
  return std::nullopt;
}

std::optional<actors::failure> online_backup::copy(const std::string& directory) {
  if (auto why = store_.backup(directory)) return actors::failure{ErrorCode::unavailable, *why};
  // The generated service token goes with the data, so that a server
  // restored from the copy accepts the same clients.
  auto token = fs::path(data_dir_) / "service.token";
  std::error_code ec;
  if (fs::exists(token, ec)) {
    auto copied = fs::path(directory) / "service.token";
    fs::copy_file(token, copied, ec);
    if (!ec) fs::permissions(copied, fs::perms::owner_read | fs::perms::owner_write, ec);
    if (ec) return actors::failure{ErrorCode::unavailable, "copying " + token.string() + " failed: " + ec.message()};
  }
  return std::nullopt;
}

void online_backup::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) thread_.join();
}

}  // namespace roster::server
