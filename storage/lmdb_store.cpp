#include "storage/lmdb_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/commit_observer.hpp"
#include "storage/disk_faults.hpp"
#include "storage/lmdb_handles.hpp"
#include "storage/unique_fd.hpp"
#include "storage/wal_reader.hpp"
#include "storage/write_ahead_log.hpp"

namespace roster::storage {
namespace {

// Bookkeeping keys: tag byte 0 sorts before every entity key.
const std::string high_id_key("\0high_id", 8);
const std::string applied_lsn_key("\0applied_lsn", 12);

// How long the applier waits before trying again after LMDB refused a commit.
constexpr std::chrono::seconds apply_retry_delay{1};

long long as_millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

MDB_val as_val(std::string_view bytes) { return MDB_val{bytes.size(), const_cast<char*>(bytes.data())}; }

std::string_view as_view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

std::string encode_u64(std::uint64_t x) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((x >> (56 - 8 * i)) & 0xff);
  return out;
}

std::uint64_t decode_u64(std::string_view bytes) {
  std::uint64_t x = 0;
  for (int i = 0; i < 8 && i < static_cast<int>(bytes.size()); ++i) x = (x << 8) | static_cast<unsigned char>(bytes[i]);
  return x;
}

std::uint64_t read_u64(MDB_txn* txn, MDB_dbi dbi, const std::string& key) {
  MDB_val k = as_val(key), value;
  return mdb_get(txn, dbi, &k, &value) == MDB_SUCCESS ? decode_u64(as_view(value)) : 0;
}

}  // namespace

lmdb_store::lmdb_store(store_options options)
    : options_(std::move(options)), env_(std::make_unique<lmdb_env>()), map_size_(options_.initial_map_size) {
  std::filesystem::create_directories(options_.directory);
  // A data file that already grew past the initial size opens at its size.
  auto data_file = std::filesystem::path(options_.directory) / "data.mdb";
  std::error_code ec;
  auto existing = std::filesystem::file_size(data_file, ec);
  if (!ec && existing > map_size_) map_size_ = existing * 2;
  check(mdb_env_set_mapsize(env_->get(), map_size_), "mdb_env_set_mapsize");
  stats_.map_size = map_size_;
  // MDB_NOTLS: read transactions are not tied to threads (CAF moves actors
  // between threads). Default sync mode: LMDB's commits are durable, so the
  // log can be cut behind them.
  check(mdb_env_open(env_->get(), options_.directory.c_str(), MDB_NOTLS, 0600), "mdb_env_open");
  {
    lmdb_txn txn(env_->get(), 0);
    check(mdb_dbi_open(txn.get(), nullptr, 0, &dbi_), "mdb_dbi_open");
    high_id_applied_ = read_u64(txn.get(), dbi_, high_id_key);
    applied_lsn_at_open_ = read_u64(txn.get(), dbi_, applied_lsn_key);
    check(txn.commit(), "mdb_txn_commit");
  }
  replay_log();
  high_id_at_open_ = high_id_logged_ = high_id_applied_;
  writer_ = std::thread([this] { run_writer(); });
  applier_ = std::thread([this] { run_applier(); });
}

lmdb_store::~lmdb_store() { close(); }

// Frames the log holds past LMDB's applied lsn go into LMDB before anything
// else happens; then the log starts afresh.
void lmdb_store::replay_log() {
  std::vector<logged_frame> chunk;
  std::size_t chunk_records = 0;
  auto apply_chunk = [&] {
    if (chunk.empty()) return;
    if (int rc = apply(chunk); rc != MDB_SUCCESS) throw lmdb_error("replaying the write-ahead log", rc);
    chunk.clear();
    chunk_records = 0;
  };
  auto last_lsn = write_ahead_log::replay(options_.directory, applied_lsn_at_open_, [&](wal_frame&& frame) {
    ++stats_.replayed_frames;
    auto records = frame.records.size();
    chunk_records += records;
    std::vector<write_batch> batches;
    batches.push_back(std::move(frame.records));
    chunk.push_back(logged_frame{frame.lsn, frame.high_id, std::move(batches), records});
    if (chunk_records >= options_.max_records_per_apply) apply_chunk();
  });
  apply_chunk();
  applied_lsn_.store(last_lsn);
  logged_lsn_ = last_lsn;
  window_->set_durable(last_lsn);
  // The segments replayed stay, as the oldest part of the change window.
  log_ = std::make_unique<write_ahead_log>(options_.directory, last_lsn + 1, options_.log_segment_bytes,
                                           options_.faults.get(), options_.kept_log_bytes, window_);
  log_->release_through(last_lsn);
}

void lmdb_store::close() {
  {
    std::lock_guard<std::mutex> guard(queue_mutex_);
    stopping_ = true;
  }
  {
    // A writer waiting for room it may never get (LMDB refusing every
    // commit) logs what is left anyway: the next start replays it.
    std::lock_guard<std::mutex> guard(apply_mutex_);
    closing_ = true;
  }
  applied_.notify_all();
  queue_ready_.notify_all();
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard<std::mutex> guard(apply_mutex_);
    stopping_applier_ = true;
  }
  apply_ready_.notify_all();
  if (applier_.joinable()) applier_.join();
  // What LMDB holds and the change window no longer keeps goes now.
  if (log_) {
    log_->release_through(applied_lsn_.load());
    log_.reset();
  }
}

commit_stats lmdb_store::stats() const {
  commit_stats now;
  {
    std::lock_guard<std::mutex> guard(queue_mutex_);
    now = stats_;
  }
  {
    std::lock_guard<std::mutex> guard(apply_mutex_);
    now.unapplied_records = unapplied_count_;
  }
  // The map may be growing (the applier holds the guard alone meanwhile).
  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  MDB_envinfo info{};
  MDB_stat stat{};
  if (mdb_env_info(env_->get(), &info) == MDB_SUCCESS && mdb_env_stat(env_->get(), &stat) == MDB_SUCCESS)
    now.map_used = (info.me_last_pgno + 1) * stat.ms_psize;
  return now;
}

std::optional<std::string> lmdb_store::get(std::string_view key) {
  // Logged-but-unapplied first: a miss there means LMDB already holds the
  // latest, so the LMDB transaction must begin after this lookup.
  if (auto held = unapplied_.find(key)) return *held;
  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  lmdb_txn txn(env_->get(), MDB_RDONLY);
  MDB_val k = as_val(key), value;
  auto rc = mdb_get(txn.get(), dbi_, &k, &value);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  check(rc, "mdb_get");
  return std::string(as_view(value));
}

void lmdb_store::scan(std::string_view prefix, const visitor& visit) {
  auto held = unapplied_.with_prefix(prefix);  // before LMDB, as in get()
  auto next_held = held.begin();
  // Held records not yet visited that sort before `key` (all of them when
  // `key` is null); a held erasure visits nothing.
  auto visit_held_before = [&](const std::string_view* key) {
    for (; next_held != held.end() && (!key || next_held->first < *key); ++next_held)
      if (next_held->second) visit(next_held->first, *next_held->second);
  };

  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  lmdb_txn txn(env_->get(), MDB_RDONLY);
  lmdb_cursor cursor(txn.get(), dbi_);
  MDB_val key = as_val(prefix), value;
  for (auto rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_RANGE); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
    auto k = as_view(key);
    if (k.substr(0, prefix.size()) != prefix) break;
    visit_held_before(&k);
    if (next_held != held.end() && next_held->first == k) {
      if (next_held->second) visit(k, *next_held->second);  // the newer copy, or erased
      ++next_held;
      continue;
    }
    visit(k, as_view(value));
  }
  visit_held_before(nullptr);
}

std::unique_ptr<change_reader> lmdb_store::changes_after(std::uint64_t revision) {
  if (revision + 1 < window_->oldest()) return nullptr;
  return std::make_unique<wal_reader>(window_, revision);
}

void lmdb_store::submit(std::shared_ptr<write_lineage> lineage, write_batch batch, std::uint64_t high_id,
                        commit_callback done) {
  {
    std::lock_guard<std::mutex> guard(queue_mutex_);
    queue_.push_back(pending{std::move(lineage), std::move(batch), high_id, std::move(done)});
  }
  queue_ready_.notify_one();
}

void lmdb_store::run_writer() {
  std::deque<pending> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      // Everything that queued up while the last append ran goes in this one.
      std::size_t records = 0;
      while (!queue_.empty() &&
             (group.empty() || records + queue_.front().batch.size() <= options_.max_records_per_commit)) {
        records += queue_.front().batch.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    log_group(group);
    group.clear();
  }
}

// Nothing of `batches` is durable: each fails with `why`, and so will every
// later batch of the same lineages (log_group drops them).
void lmdb_store::fail_all(std::deque<pending>& batches, const std::string& why) {
  for (auto& p : batches) {
    if (p.lineage) p.lineage->failed.store(true);
    p.done(why);
  }
}

void lmdb_store::log_group(std::deque<pending>& group) {
  std::deque<pending> writable;  // a deque: `batches` points into it as it grows
  std::uint64_t high_id = high_id_logged_;
  std::vector<const write_batch*> batches;
  std::size_t records = 0;
  for (auto& p : group) {
    if (p.lineage && p.lineage->failed.load()) {
      p.done(std::string("an earlier change of the same actor failed"));
      continue;
    }
    high_id = std::max(high_id, p.high_id);
    records += p.batch.size();
    writable.push_back(std::move(p));
    batches.push_back(&writable.back().batch);
  }
  if (writable.empty()) return;

  {
    // Bounded memory: wait while LMDB is far behind the log. If LMDB is
    // refusing the logged changes (a full disk under it), waiting could last
    // until an operator acts: these batches fail now, with the reason.
    std::unique_lock<std::mutex> lock(apply_mutex_);
    auto has_room = [&] { return unapplied_count_ < options_.max_unapplied_records; };
    if (!has_room()) {
      auto behind = unapplied_count_;
      auto since = std::chrono::steady_clock::now();
      applied_.wait(lock, [&] { return has_room() || closing_ || !apply_failure_.empty(); });
      auto waited = std::chrono::steady_clock::now() - since;
      if (waited >= options_.slow_log_wait && options_.report) {
        auto line = "the write-ahead log waited " + std::to_string(as_millis(waited)) + " ms for LMDB, " +
                    std::to_string(behind) + " logged changes behind";
        lock.unlock();
        options_.report(line);
        lock.lock();
      }
    }
    if (!has_room() && !closing_) {
      auto why = "storage full: " + std::to_string(unapplied_count_) +
                 " logged changes wait for LMDB, which refuses them: " + apply_failure_;
      lock.unlock();
      return fail_all(writable, why);
    }
  }

  frame_buffer_.clear();
  auto lsn = log_->next_lsn();
  encode_frame(frame_buffer_, lsn, high_id, batches);
  auto appending = std::chrono::steady_clock::now();
  if (auto failed = log_->append(frame_buffer_)) return fail_all(writable, *failed);
  if (options_.observer)
    options_.observer->logged(writable.size(), records, std::chrono::steady_clock::now() - appending);
  high_id_logged_ = high_id;
  // Readable before acknowledged: whoever learns of a change can read it.
  logged_frame frame{lsn, high_id, {}, records};
  frame.batches.reserve(writable.size());
  for (auto& p : writable) frame.batches.push_back(std::move(p.batch));
  unapplied_.add(lsn, frame.batches);
  bool apply_now = false;
  {
    std::lock_guard<std::mutex> guard(apply_mutex_);
    logged_records_ += records;
    unapplied_count_ += records;
    logged_.push_back(std::move(frame));
    logged_lsn_ = lsn;
    apply_now = logged_records_ >= options_.apply_records;
  }
  if (apply_now) apply_ready_.notify_one();
  {
    std::lock_guard<std::mutex> guard(queue_mutex_);
    ++stats_.commits;
    stats_.batches += writable.size();
  }
  // Durable and readable: whoever hears of these changes, from their
  // answers or otherwise, finds the revision at or past them.
  window_->set_durable(lsn);
  for (auto& p : writable) p.done(std::nullopt);
  log_->release_through(applied_lsn_.load());
}

void lmdb_store::run_applier() {
  std::vector<logged_frame> frames;
  for (;;) {
    std::size_t records = 0;
    {
      std::unique_lock<std::mutex> lock(apply_mutex_);
      apply_ready_.wait_for(lock, options_.apply_interval, [this] {
        return stopping_applier_ || apply_soon_ || logged_records_ >= options_.apply_records;
      });
      apply_soon_ = false;
      if (logged_.empty()) {
        if (stopping_applier_) return;
        continue;
      }
      while (!logged_.empty() &&
             (frames.empty() || records + logged_.front().records <= options_.max_records_per_apply)) {
        records += logged_.front().records;
        frames.push_back(std::move(logged_.front()));
        logged_.pop_front();
      }
      logged_records_ -= records;
    }

    auto started = std::chrono::steady_clock::now();
    int rc = apply(frames);
    auto took = std::chrono::steady_clock::now() - started;
    if (rc == MDB_SUCCESS && options_.observer) options_.observer->applied(records, took);
    if (took >= options_.slow_apply && options_.report)
      options_.report("one LMDB transaction of " + std::to_string(records) + " logged changes took " +
                      std::to_string(as_millis(took)) + " ms");
    if (rc != MDB_SUCCESS) {
      // The frames stay logged and readable; try again later. At a stop the
      // next start replays them.
      std::unique_lock<std::mutex> lock(apply_mutex_);
      for (auto it = frames.rbegin(); it != frames.rend(); ++it) logged_.push_front(std::move(*it));
      logged_records_ += records;
      frames.clear();
      bool first = apply_failure_.empty();
      apply_failure_ = mdb_strerror(rc);
      {
        std::lock_guard<std::mutex> guard(queue_mutex_);
        ++stats_.apply_failures;
      }
      applied_.notify_all();  // a writer waiting for room waits no more
      if (first && options_.report) {
        auto line = "LMDB refuses the logged changes (" + apply_failure_ + "); they stay in the write-ahead log, " +
                    "retried every second";
        lock.unlock();  // the report is someone else's code
        options_.report(line);
        lock.lock();
      }
      if (stopping_applier_) return;
      apply_ready_.wait_for(lock, apply_retry_delay, [this] { return stopping_applier_; });
      continue;
    }

    for (auto& frame : frames) unapplied_.forget(frame.lsn, frame.batches);
    applied_lsn_.store(frames.back().lsn);
    frames.clear();
    bool recovered = false;
    {
      std::lock_guard<std::mutex> guard(apply_mutex_);
      unapplied_count_ -= records;
      recovered = !apply_failure_.empty();
      apply_failure_.clear();
    }
    applied_.notify_all();
    if (recovered && options_.report) options_.report("LMDB takes the logged changes again");
    {
      std::lock_guard<std::mutex> guard(queue_mutex_);
      ++stats_.applies;
    }
  }
}

std::optional<std::string> lmdb_store::backup(const std::string& directory, std::chrono::milliseconds catch_up) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return "cannot create " + directory + ": " + ec.message();
  if (!fs::is_empty(directory, ec) || ec) return directory + " exists and is not empty";
  // A copy holds every user's data: for the server's user alone, as the
  // data directory is.
  fs::permissions(directory, fs::perms::owner_all, ec);
  if (ec) return "cannot restrict " + directory + " to its owner: " + ec.message();
  {
    // Everything acknowledged is logged; wait until LMDB has it too, so the
    // copy needs no log beside it.
    std::unique_lock<std::mutex> lock(apply_mutex_);
    auto target = logged_lsn_;
    apply_soon_ = true;
    apply_ready_.notify_one();
    if (!applied_.wait_for(lock, catch_up, [&] { return applied_lsn_.load() >= target || stopping_applier_; }) ||
        applied_lsn_.load() < target)
      return "LMDB did not catch up with the write-ahead log in time (see the server's apply failures)";
  }
  // A read transaction inside: the map must not be resized meanwhile.
  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  // Created 0600 before a byte is written (mdb_env_copy2 would take the
  // umask's 0644), and synced before the copy is called complete.
  auto file = (fs::path(directory) / "data.mdb").string();
  unique_fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd) return "cannot create " + file + ": " + std::strerror(errno);
  int rc = mdb_env_copyfd2(env_->get(), fd.get(), MDB_CP_COMPACT);
  bool synced = rc == MDB_SUCCESS && ::fsync(fd.get()) == 0;
  int sync_errno = errno;
  if (rc != MDB_SUCCESS) return "copying the data into " + directory + " failed: " + mdb_strerror(rc);
  if (!synced) return "syncing " + file + " failed: " + std::strerror(sync_errno);
  return std::nullopt;
}

int lmdb_store::apply(const std::vector<logged_frame>& frames) {
  int rc = write_frames(frames);
  while (rc == MDB_MAP_FULL && map_size_ < options_.max_map_size) {
    // MDB_MAP_FULL is an answer, not a crash: grow the map and write again.
    // The file grows only as pages are written, so a larger map costs
    // address space, not disk.
    auto asked = std::chrono::steady_clock::now();
    std::unique_lock<std::shared_mutex> exclusive(resize_guard_);
    auto waited = std::chrono::steady_clock::now() - asked;
    auto grown = std::min(map_size_ * 2, options_.max_map_size);
    rc = mdb_env_set_mapsize(env_->get(), grown);
    if (rc == MDB_SUCCESS) map_size_ = grown;
    exclusive.unlock();
    if (rc != MDB_SUCCESS) break;
    {
      std::lock_guard<std::mutex> guard(queue_mutex_);
      ++stats_.map_grows;
      stats_.map_size = map_size_;
    }
    if (options_.report)
      options_.report("LMDB's map grew to " + std::to_string(map_size_ >> 20) + " MiB, after waiting " +
                      std::to_string(as_millis(waited)) + " ms for readers to leave");
    rc = write_frames(frames);
  }
  return rc;
}

int lmdb_store::write_frames(const std::vector<logged_frame>& frames) {
  if (const auto& faults = options_.faults) {
    if (int delay = faults->lmdb_delay_ms.load()) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    if (int injected = faults->lmdb_errno.load()) return injected;
    int left = faults->lmdb_map_full.load();
    while (left > 0 && !faults->lmdb_map_full.compare_exchange_weak(left, left - 1)) {
    }
    if (left > 0) return MDB_MAP_FULL;
  }
  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  MDB_txn* raw = nullptr;
  int rc = mdb_txn_begin(env_->get(), nullptr, 0, &raw);
  if (rc != MDB_SUCCESS) return rc;
  // Adopt the handle: every return path below either commits or aborts it.
  struct abort_on_exit {
    MDB_txn* txn;
    ~abort_on_exit() {
      if (txn) mdb_txn_abort(txn);
    }
  } txn{raw};
  auto put = [&](std::string_view k, std::string_view v) {
    MDB_val key = as_val(k), value = as_val(v);
    return mdb_put(txn.txn, dbi_, &key, &value, 0);
  };
  // One transaction holds every frame, so only each key's last write
  // matters, and writing in key order walks the B-tree once instead of
  // jumping between pages: a key rewritten many times in one interval (a
  // team's listing, an invitation answered soon after it was made) is put
  // once, and each page is copied once.
  std::vector<const record_write*> latest;
  std::uint64_t high_id = high_id_applied_;
  for (auto& frame : frames) {
    high_id = std::max(high_id, frame.high_id);
    for (auto& batch : frame.batches)
      for (auto& record : batch) latest.push_back(&record);
  }
  std::stable_sort(latest.begin(), latest.end(),
                   [](const record_write* a, const record_write* b) { return a->key < b->key; });
  for (std::size_t i = 0; i < latest.size(); ++i) {
    if (i + 1 < latest.size() && latest[i + 1]->key == latest[i]->key) continue;  // a later write follows
    const auto& record = *latest[i];
    if (record.value) {
      rc = put(record.key, *record.value);
    } else {
      MDB_val key = as_val(record.key);
      rc = mdb_del(txn.txn, dbi_, &key, nullptr);
      if (rc == MDB_NOTFOUND) rc = MDB_SUCCESS;
    }
    if (rc != MDB_SUCCESS) return rc;
  }
  if (high_id > high_id_applied_ && (rc = put(high_id_key, encode_u64(high_id))) != MDB_SUCCESS) return rc;
  if ((rc = put(applied_lsn_key, encode_u64(frames.back().lsn))) != MDB_SUCCESS) return rc;
  rc = mdb_txn_commit(txn.txn);
  txn.txn = nullptr;
  if (rc == MDB_SUCCESS) high_id_applied_ = high_id;
  return rc;
}

}  // namespace roster::storage
