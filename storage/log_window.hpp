// What readers of the change feed (SPEC C8) need to know of the
// write-ahead log: the segments it keeps and how far it is durable. The log
// and the store update it; readers share it, so it outlives both for them.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace roster::storage {

class log_window {
 public:
  struct segment {
    std::uint64_t first_lsn = 0;
    std::string path;
  };

  // The lsn of the last frame made durable: the store's revision (C7).
  std::uint64_t durable() const { return durable_.load(std::memory_order_acquire); }
  void set_durable(std::uint64_t lsn) { durable_.store(lsn, std::memory_order_release); }

  // A segment that begins at an lsn a kept segment already begins at (its
  // first frame failed) takes that one's place.
  void add(segment s) {
    std::lock_guard<std::mutex> guard(mutex_);
    while (!segments_.empty() && segments_.back().first_lsn >= s.first_lsn) {
      segments_.pop_back();
      replaced_.fetch_add(1, std::memory_order_release);
    }
    segments_.push_back(std::move(s));
  }
  // How many segments were replaced so: a reader that buffered bytes of one
  // (the failed frame's) must read them again.
  std::uint64_t replaced() const { return replaced_.load(std::memory_order_acquire); }
  void remove_oldest() {
    std::lock_guard<std::mutex> guard(mutex_);
    if (!segments_.empty()) segments_.erase(segments_.begin());
  }

  // The kept segment whose frames include `lsn` if it was written: the last
  // one beginning at or before it.
  std::optional<segment> holding(std::uint64_t lsn) const {
    std::lock_guard<std::mutex> guard(mutex_);
    auto after = std::upper_bound(segments_.begin(), segments_.end(), lsn,
                                  [](std::uint64_t l, const segment& s) { return l < s.first_lsn; });
    if (after == segments_.begin()) return std::nullopt;
    return *std::prev(after);
  }
  // Where the segment after the one beginning at `first_lsn` begins: that
  // segment's frames end there, whatever else it holds. The maximum when it
  // is the newest.
  std::uint64_t end_of(std::uint64_t first_lsn) const {
    std::lock_guard<std::mutex> guard(mutex_);
    for (const auto& s : segments_)
      if (s.first_lsn > first_lsn) return s.first_lsn;
    return std::numeric_limits<std::uint64_t>::max();
  }
  // The first lsn the kept segments begin at: older changes are gone.
  std::uint64_t oldest() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return segments_.empty() ? durable() + 1 : segments_.front().first_lsn;
  }

 private:
  std::atomic<std::uint64_t> durable_{0};
  std::atomic<std::uint64_t> replaced_{0};
  mutable std::mutex mutex_;
  std::vector<segment> segments_;  // by first lsn
};

}  // namespace roster::storage
