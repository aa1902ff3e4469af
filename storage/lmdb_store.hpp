// The LMDB implementation of the actors' storage port: committed reads from
// any thread, and one writer thread that gathers every batch queued while the
// previous commit was running into the next write transaction and one fsync
// (group commit). LMDB write transactions belong to one thread, so all writes
// happen on this one.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "actors/storage_port.hpp"

namespace roster::storage {

class lmdb_env;

struct store_options {
  std::string directory;
  std::size_t initial_map_size = std::size_t{1} << 30;
  // Upper bound of records in one write transaction.
  std::size_t max_records_per_commit = 20000;
};

struct commit_stats {
  std::uint64_t commits = 0;
  std::uint64_t batches = 0;
  std::uint64_t map_grows = 0;
};

class lmdb_store final : public actors::storage_port {
 public:
  // Opens (creating if needed) the environment in `options.directory`.
  // Throws lmdb_error when it cannot.
  explicit lmdb_store(store_options options);
  // Commits what is queued, then closes.
  ~lmdb_store() override;

  std::optional<std::string> get(std::string_view key) override;
  void scan(std::string_view prefix, const visitor& visit) override;
  void submit(std::shared_ptr<actors::write_lineage> lineage, actors::write_batch batch,
              std::uint64_t high_id, commit_callback done) override;
  std::uint64_t stored_high_id() override { return high_id_at_open_; }

  // Waits for everything queued so far, then stops the writer.
  void close();

  commit_stats stats() const;

 private:
  struct pending {
    std::shared_ptr<actors::write_lineage> lineage;
    actors::write_batch batch;
    std::uint64_t high_id;
    commit_callback done;
  };

  void run_writer();
  void commit_group(std::deque<pending>& group);
  int write_group(std::deque<pending>& group, std::uint64_t high_id);

  store_options options_;
  std::unique_ptr<lmdb_env> env_;
  unsigned dbi_ = 0;
  std::size_t map_size_;
  std::uint64_t high_id_at_open_ = 0;
  std::uint64_t high_id_written_ = 0;

  // Readers hold it shared; the writer holds it exclusively to grow the map,
  // which LMDB allows only while no transaction is open.
  std::shared_mutex resize_guard_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<pending> queue_;
  bool stopping_ = false;
  commit_stats stats_;
  std::thread writer_;
};

}  // namespace roster::storage
