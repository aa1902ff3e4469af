// The actors' storage port: a write-ahead log for durability, LMDB for the
// records.
//
// One writer thread gathers every batch queued while the previous append ran
// into one log frame and one fdatasync (group commit), then acknowledges the
// batches. One applier thread moves logged records into LMDB in large
// transactions (default sync mode) and records the last lsn applied, so a
// restart replays only the log's newer frames. Reads see every acknowledged
// change: the records logged but not yet applied are consulted before LMDB.
// LMDB write transactions belong to one thread; only the applier writes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/log_window.hpp"
#include "storage/port.hpp"
#include "storage/unapplied_records.hpp"

namespace roster::storage {

class commit_observer;
class lmdb_env;
class write_ahead_log;
struct disk_faults;

struct store_options {
  std::string directory;
  std::size_t initial_map_size = std::size_t{1} << 30;
  // The map doubles whenever LMDB answers MDB_MAP_FULL, up to this.
  std::size_t max_map_size = std::size_t{1} << 40;
  // Upper bound of records in one log frame.
  std::size_t max_records_per_commit = 20000;
  std::size_t log_segment_bytes = std::size_t{64} << 20;
  // The change window (SPEC C8): finished log segments LMDB holds are kept
  // while they take no more than this; watchers read changes back from them.
  std::size_t kept_log_bytes = std::size_t{256} << 20;
  // Logged records reach LMDB within about this long, or sooner once this
  // many wait; one LMDB transaction takes at most `max_records_per_apply`.
  std::chrono::milliseconds apply_interval{100};
  std::size_t apply_records = 50000;
  std::size_t max_records_per_apply = 100000;
  // Beyond this many logged-but-unapplied records the writer waits for the
  // applier, so memory stays bounded when LMDB falls behind.
  std::size_t max_unapplied_records = 1000000;
  // Told, from the store's threads, when LMDB's map grows, when LMDB starts
  // refusing the logged changes (and why) and when it takes them again, and
  // of stalls an operator would look for when calls time out: an LMDB
  // transaction slower than `slow_apply`, and the log waiting for LMDB to
  // catch up for longer than `slow_log_wait`. Empty: nobody is told.
  std::function<void(const std::string&)> report{};
  std::chrono::milliseconds slow_apply{1000};
  std::chrono::milliseconds slow_log_wait{200};
  // Told of every group commit and LMDB transaction (metrics); may be null.
  // Outlives the store.
  commit_observer* observer = nullptr;
  // For tests: faults to inject below the store.
  std::shared_ptr<disk_faults> faults{};
};

struct commit_stats {
  std::uint64_t commits = 0;  // log frames made durable
  std::uint64_t batches = 0;  // batches acknowledged
  std::uint64_t applies = 0;  // LMDB transactions committed
  std::uint64_t apply_failures = 0;
  std::uint64_t map_grows = 0;
  std::size_t map_size = 0;           // bytes
  std::size_t map_used = 0;           // bytes of the map LMDB's pages fill
  std::size_t unapplied_records = 0;  // logged, not yet in LMDB
  std::uint64_t replayed_frames = 0;  // at open
};

class lmdb_store final : public storage_port {
 public:
  // Opens (creating if needed) the store in `options.directory` and replays
  // the log into LMDB. Throws lmdb_error or wal_error when it cannot.
  explicit lmdb_store(store_options options);
  // Logs and applies what is queued, then closes.
  ~lmdb_store() override;

  std::optional<std::string> get(std::string_view key) override;
  void scan(std::string_view prefix, const visitor& visit) override;
  void submit(std::shared_ptr<write_lineage> lineage, write_batch batch, std::uint64_t high_id,
              commit_callback done) override;
  std::uint64_t stored_high_id() override { return high_id_at_open_; }
  std::uint64_t revision() override { return window_->durable(); }
  std::unique_ptr<change_reader> changes_after(std::uint64_t revision) override;

  // Waits for everything queued so far to be logged and applied, then stops.
  void close();

  // Writes a consistent copy of the store that holds every change
  // acknowledged before the call into `directory` (created; it must not
  // exist or must be empty), as a data directory a store opens. Waits for
  // LMDB to catch up with the log first, at most `catch_up`. Returns why it
  // could not, or nullopt. Safe while the store serves; one at a time.
  std::optional<std::string> backup(const std::string& directory,
                                    std::chrono::milliseconds catch_up = std::chrono::seconds(60));

  commit_stats stats() const;

 private:
  struct pending {
    std::shared_ptr<write_lineage> lineage;
    write_batch batch;
    std::uint64_t high_id;
    commit_callback done;
  };
  // A durable log frame on its way to LMDB.
  struct logged_frame {
    std::uint64_t lsn;
    std::uint64_t high_id;
    std::vector<write_batch> batches;
    std::size_t records;
  };

  void replay_log();
  void run_writer();
  void log_group(std::deque<pending>& group);
  static void fail_all(std::deque<pending>& batches, const std::string& why);
  void run_applier();
  int apply(const std::vector<logged_frame>& frames);
  int write_frames(const std::vector<logged_frame>& frames);

  store_options options_;
  std::unique_ptr<lmdb_env> env_;
  unsigned dbi_ = 0;
  std::size_t map_size_;
  std::uint64_t high_id_at_open_ = 0;
  std::uint64_t high_id_applied_ = 0;
  std::uint64_t applied_lsn_at_open_ = 0;

  // Readers hold it shared; the applier holds it exclusively to grow the
  // map, which LMDB allows only while no transaction is open.
  mutable std::shared_mutex resize_guard_;
  unapplied_records unapplied_;

  // The writer's side: batches waiting for the log.
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<pending> queue_;
  bool stopping_ = false;
  std::unique_ptr<write_ahead_log> log_;  // the writer's alone
  std::uint64_t high_id_logged_ = 0;
  std::string frame_buffer_;
  // The log's kept segments and the lsn of the last frame made durable and
  // readable, set before its batches are acknowledged (revision()).
  std::shared_ptr<log_window> window_ = std::make_shared<log_window>();

  // The applier's side: logged frames waiting for LMDB.
  mutable std::mutex apply_mutex_;
  std::condition_variable apply_ready_;  // frames to apply, or stop
  std::condition_variable applied_;      // room for the writer
  std::deque<logged_frame> logged_;
  std::size_t logged_records_ = 0;   // in `logged_`
  std::size_t unapplied_count_ = 0;  // logged, not yet in LMDB
  bool stopping_applier_ = false;
  bool closing_ = false;     // the writer no longer waits for room
  bool apply_soon_ = false;  // a backup waits: apply without waiting for more
  // Why LMDB refused the last transaction, until one succeeds; the writer
  // fails batches at once, rather than wait without end, when it lacks room
  // for them then.
  std::string apply_failure_;
  std::uint64_t logged_lsn_ = 0;  // the last frame made durable
  std::atomic<std::uint64_t> applied_lsn_{0};

  commit_stats stats_;  // under queue_mutex_
  std::thread writer_;
  std::thread applier_;
};

}  // namespace roster::storage
