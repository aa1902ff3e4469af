// The write-ahead log in front of LMDB: a group commit becomes one sequential
// append and one fdatasync (about 0.3 ms on this machine's disk, against the
// ~3 ms of an LMDB commit, which writes scattered pages and syncs twice).
// LMDB takes the logged records later, in large transactions. A segment
// LMDB holds durably is kept while the newest finished segments fit in the
// kept bytes: the window of changes a watcher may read back (SPEC C8).
//
// Segments are files `wal-<first lsn, 16 hex digits>.log`. Frames in a
// segment carry consecutive lsns starting at its first; a segment ends where
// the next one begins. After a failed write the log moves to a new segment
// starting at the failed frame's lsn, so whatever of that frame reached the
// disk is never read back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/log_window.hpp"
#include "storage/unique_fd.hpp"
#include "storage/wal_frame.hpp"

namespace roster::storage {
struct disk_faults;
}

namespace roster::storage {

class wal_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class write_ahead_log {
 public:
  // Feeds every intact frame after `applied_lsn` to `apply`, in lsn order,
  // and returns the last lsn the log holds (`applied_lsn` when none is
  // newer). Throws wal_error when a frame is missing between two that are
  // there: acknowledged changes were lost, and starting would hide it.
  static std::uint64_t replay(const std::string& directory, std::uint64_t applied_lsn,
                              const std::function<void(wal_frame&&)>& apply);

  // Starts a log whose first frame will be `next_lsn`, after the segments
  // the directory holds (replayed already), which it keeps as finished.
  // Throws wal_error when it cannot create the segment. `faults` (for
  // tests), when not null, outlives the log. Finished segments LMDB holds
  // are deleted beyond `kept_bytes`.
  write_ahead_log(std::string directory, std::uint64_t next_lsn, std::size_t segment_bytes,
                  const disk_faults* faults = nullptr, std::size_t kept_bytes = 0,
                  std::shared_ptr<log_window> window = nullptr);
  ~write_ahead_log();
  write_ahead_log(const write_ahead_log&) = delete;
  write_ahead_log& operator=(const write_ahead_log&) = delete;

  // The lsn the next appended frame must carry.
  std::uint64_t next_lsn() const { return next_lsn_; }

  // Writes `frame` (encoded with next_lsn()) and returns once it is durable,
  // or returns why not; a failed frame's lsn is used again by the next one.
  std::optional<std::string> append(const std::string& frame);

  // Deletes the oldest finished segments whose frames are all at or below
  // `applied_lsn`, while the finished segments take more than the kept
  // bytes.
  void release_through(std::uint64_t applied_lsn);

  // The kept segments, for readers of the change feed.
  const std::shared_ptr<log_window>& window() const { return window_; }

 private:
  struct segment {
    std::string path;
    std::uint64_t first_lsn = 0;
    std::uint64_t last_lsn = 0;
    std::uint64_t bytes = 0;
  };

  void keep_existing_segments();

  std::optional<std::string> start_segment();
  void finish_segment();

  std::string directory_;
  std::size_t segment_bytes_;
  const disk_faults* faults_;
  std::uint64_t next_lsn_;
  unique_fd fd_;
  segment current_;
  std::uint64_t written_ = 0;
  std::size_t kept_bytes_;
  std::uint64_t finished_bytes_ = 0;
  std::vector<segment> finished_;  // oldest first
  std::shared_ptr<log_window> window_;
};

}  // namespace roster::storage
