// The port storage offers the actors, and nothing more: committed reads and
// an asynchronous, group-committed write. storage/ owns it and implements it
// (write_ahead_log over lmdb_store); the actors depend on it, not on LMDB.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roster::storage {

struct record_write {
  std::string key;
  std::optional<std::string> value;  // nullopt erases the key
};

using write_batch = std::vector<record_write>;

// The batches of one actor incarnation. They commit in the order submitted;
// once one fails, the later ones fail too without being written, because
// they were computed from state that now will never be durable.
struct write_lineage {
  std::atomic<bool> failed{false};
};

// C8: the changes made durable after a revision, frame by frame, in
// revision order. Belongs to one thread at a time.
class change_reader {
 public:
  using visitor = std::function<void(std::uint64_t revision, const record_write& record)>;

  // Why a reader can go no further.
  struct stop {
    bool window_passed = false;  // the changes it needs next are no longer kept
    std::string why;
  };

  virtual ~change_reader() = default;

  // Visits the records of the next durable frames, whole frames, until
  // `max_records` are visited or the store's revision is reached.
  virtual std::optional<stop> read(std::size_t max_records, const visitor& visit) = 0;
  // The revision of the last frame read.
  virtual std::uint64_t position() const = 0;
};

class storage_port {
 public:
  using visitor = std::function<void(std::string_view key, std::string_view value)>;
  // Runs on the writer's thread once the batch is durable (`error` empty) or
  // has definitely failed (nothing of it was written).
  using commit_callback = std::function<void(std::optional<std::string> error)>;

  virtual ~storage_port() = default;

  // Reads see committed data only.
  virtual std::optional<std::string> get(std::string_view key) = 0;
  virtual void scan(std::string_view prefix, const visitor& visit) = 0;

  // Queues `batch` for the next group commit. `high_id` is the largest id the
  // batch may reveal; storage keeps the maximum so ids are never reused.
  virtual void submit(std::shared_ptr<write_lineage> lineage, write_batch batch, std::uint64_t high_id,
                      commit_callback done) = 0;

  // The id high-water mark found at open.
  virtual std::uint64_t stored_high_id() = 0;

  // C7: the revision at which every change acknowledged so far is visible:
  // the sequence number of the last durable group commit. It only grows,
  // across restarts too; the changes of one group commit share it.
  virtual std::uint64_t revision() = 0;

  // C8: a reader of the changes after `revision`, or nullptr when they are
  // no longer all kept.
  virtual std::unique_ptr<change_reader> changes_after(std::uint64_t revision) = 0;
};

}  // namespace roster::storage
