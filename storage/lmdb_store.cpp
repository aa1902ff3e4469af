#include "storage/lmdb_store.hpp"

#include <sys/stat.h>

#include <cstring>
#include <filesystem>

#include "storage/lmdb_handles.hpp"

namespace roster::storage {
namespace {

// The id high-water mark: tag byte 0 sorts before every entity key.
const std::string high_id_key("\0high_id", 8);

MDB_val as_val(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}

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
  // MDB_NOTLS: read transactions are not tied to threads (CAF moves actors
  // between threads). Default sync mode: a commit survives power loss (C6).
  check(mdb_env_open(env_->get(), options_.directory.c_str(), MDB_NOTLS, 0600), "mdb_env_open");
  {
    lmdb_txn txn(env_->get(), 0);
    check(mdb_dbi_open(txn.get(), nullptr, 0, &dbi_), "mdb_dbi_open");
    MDB_val key = as_val(high_id_key), value;
    if (mdb_get(txn.get(), dbi_, &key, &value) == MDB_SUCCESS) high_id_at_open_ = decode_u64(as_view(value));
    check(txn.commit(), "mdb_txn_commit");
  }
  high_id_written_ = high_id_at_open_;
  writer_ = std::thread([this] { run_writer(); });
}

lmdb_store::~lmdb_store() { close(); }

void lmdb_store::close() {
  {
    std::lock_guard<std::mutex> guard(queue_mutex_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  queue_ready_.notify_all();
  if (writer_.joinable()) writer_.join();
}

commit_stats lmdb_store::stats() const {
  std::lock_guard<std::mutex> guard(queue_mutex_);
  return stats_;
}

std::optional<std::string> lmdb_store::get(std::string_view key) {
  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  lmdb_txn txn(env_->get(), MDB_RDONLY);
  MDB_val k = as_val(key), value;
  auto rc = mdb_get(txn.get(), dbi_, &k, &value);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  check(rc, "mdb_get");
  return std::string(as_view(value));
}

void lmdb_store::scan(std::string_view prefix, const visitor& visit) {
  std::shared_lock<std::shared_mutex> guard(resize_guard_);
  lmdb_txn txn(env_->get(), MDB_RDONLY);
  lmdb_cursor cursor(txn.get(), dbi_);
  MDB_val key = as_val(prefix), value;
  for (auto rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_SET_RANGE); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor.get(), &key, &value, MDB_NEXT)) {
    auto k = as_view(key);
    if (k.substr(0, prefix.size()) != prefix) break;
    visit(k, as_view(value));
  }
}

void lmdb_store::submit(std::shared_ptr<actors::write_lineage> lineage, actors::write_batch batch,
                        std::uint64_t high_id, commit_callback done) {
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
      // Everything that queued up while the last commit ran goes in this one.
      std::size_t records = 0;
      while (!queue_.empty() && (group.empty() || records + queue_.front().batch.size() <= options_.max_records_per_commit)) {
        records += queue_.front().batch.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_group(group);
    group.clear();
  }
}

void lmdb_store::commit_group(std::deque<pending>& group) {
  std::deque<pending> writable;
  std::uint64_t high_id = high_id_written_;
  for (auto& p : group) {
    if (p.lineage && p.lineage->failed.load()) {
      p.done(std::string("an earlier change of the same actor failed"));
      continue;
    }
    high_id = std::max(high_id, p.high_id);
    writable.push_back(std::move(p));
  }
  if (writable.empty()) return;

  int rc = write_group(writable, high_id);
  while (rc == MDB_MAP_FULL) {
    // MDB_MAP_FULL is an answer, not a crash: grow the map and write again.
    std::unique_lock<std::shared_mutex> exclusive(resize_guard_);
    map_size_ *= 2;
    rc = mdb_env_set_mapsize(env_->get(), map_size_);
    exclusive.unlock();
    if (rc != MDB_SUCCESS) break;
    {
      std::lock_guard<std::mutex> guard(queue_mutex_);
      ++stats_.map_grows;
    }
    rc = write_group(writable, high_id);
  }
  if (rc == MDB_SUCCESS) {
    high_id_written_ = high_id;
    {
      std::lock_guard<std::mutex> guard(queue_mutex_);
      ++stats_.commits;
      stats_.batches += writable.size();
    }
    for (auto& p : writable) p.done(std::nullopt);
    return;
  }
  std::string why = mdb_strerror(rc);
  for (auto& p : writable) {
    if (p.lineage) p.lineage->failed.store(true);
    p.done(why);
  }
}

int lmdb_store::write_group(std::deque<pending>& group, std::uint64_t high_id) {
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
  for (auto& p : group) {
    for (auto& record : p.batch) {
      MDB_val key = as_val(record.key);
      if (record.value) {
        MDB_val value = as_val(*record.value);
        rc = mdb_put(txn.txn, dbi_, &key, &value, 0);
      } else {
        rc = mdb_del(txn.txn, dbi_, &key, nullptr);
        if (rc == MDB_NOTFOUND) rc = MDB_SUCCESS;
      }
      if (rc != MDB_SUCCESS) return rc;
    }
  }
  if (high_id > high_id_written_) {
    auto encoded = encode_u64(high_id);
    MDB_val key = as_val(high_id_key), value = as_val(encoded);
    rc = mdb_put(txn.txn, dbi_, &key, &value, 0);
    if (rc != MDB_SUCCESS) return rc;
  }
  rc = mdb_txn_commit(txn.txn);
  txn.txn = nullptr;
  return rc;
}

}  // namespace roster::storage
