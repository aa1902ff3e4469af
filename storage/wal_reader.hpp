// Reads durable frames back from the write-ahead log's kept segments, for
// the change feed (SPEC C8). Reads with pread rather than a mapping: the
// writer truncates a segment's allocated tail when it finishes it, and a
// mapped page past the new end would fault.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "storage/log_window.hpp"
#include "storage/port.hpp"
#include "storage/unique_fd.hpp"
#include "storage/wal_frame.hpp"

namespace roster::storage {

class wal_reader final : public change_reader {
 public:
  // Reads the frames after `after`; the caller has checked that the window
  // reaches back to it.
  wal_reader(std::shared_ptr<const log_window> window, std::uint64_t after)
      : window_(std::move(window)), next_(after + 1) {}

  std::optional<stop> read(std::size_t max_records, const visitor& visit) override;
  std::uint64_t position() const override { return next_ - 1; }

 private:
  std::optional<stop> open_segment();
  // The frame at the read position, which then moves past it; nullopt when
  // the segment holds no whole frame there.
  std::optional<wal_frame> next_frame();
  // At least `bytes` buffered past the read position, unless the file ends.
  // What is buffered is kept across reads.
  bool buffer_at_least(std::size_t bytes);
  stop window_passed() const;

  std::shared_ptr<const log_window> window_;
  std::uint64_t next_;  // the lsn of the next frame to visit

  unique_fd segment_;
  std::string segment_path_;
  std::uint64_t segment_first_ = 0;
  // Bytes of the segment from file offset `buffer_offset_`; the read
  // position is `consumed_` bytes in.
  std::string buffer_;
  std::uint64_t buffer_offset_ = 0;
  std::size_t consumed_ = 0;
  std::uint64_t replaced_seen_ = 0;
};

}  // namespace roster::storage
