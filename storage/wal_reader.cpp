#include "storage/wal_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace roster::storage {
namespace {

// How much one pread asks for beyond what a frame needs: a few dozen group
// commits' worth, so that following the log costs one system call per
// several frames, and a copy of little more than what is read.
constexpr std::size_t read_ahead_bytes = std::size_t{64} << 10;

}  // namespace

change_reader::stop wal_reader::window_passed() const {
  return stop{true, "the changes after revision " + std::to_string(next_ - 1) +
                        " are no longer kept (the oldest kept is revision " + std::to_string(window_->oldest()) + ")"};
}

std::optional<change_reader::stop> wal_reader::open_segment() {
  auto holding = window_->holding(next_);
  if (!holding) return window_passed();
  unique_fd fd(::open(holding->path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    // Deleted between the look at the window and the open.
    if (errno == ENOENT) return window_passed();
    return stop{false, "cannot read " + holding->path + ": " + std::strerror(errno)};
  }
  segment_ = std::move(fd);
  segment_path_ = holding->path;
  segment_first_ = holding->first_lsn;
  buffer_.clear();
  buffer_offset_ = 0;
  consumed_ = 0;
  return std::nullopt;
}

std::optional<change_reader::stop> wal_reader::read(std::size_t max_records, const visitor& visit) {
  auto durable = window_->durable();
  // A segment rewritten under its old name since the last read (its first
  // frame failed, then was written again): what was buffered of it is stale.
  if (auto replaced = window_->replaced(); replaced != replaced_seen_) {
    replaced_seen_ = replaced;
    buffer_.resize(consumed_);
  }
  std::size_t visited = 0;
  while (next_ <= durable && visited < max_records) {
    if (!segment_) {
      if (auto stopped = open_segment()) return stopped;
    }
    // A segment ends where the next begins (after a failed append, the
    // frame's lsn starts a new segment; the old one may hold its bytes).
    if (next_ >= window_->end_of(segment_first_)) {
      segment_.reset();
      continue;
    }
    auto frame = next_frame();
    // Read from a segment the window dropped meanwhile, the frame may be
    // one a later, dropped segment replaced (a failed append's), and where
    // the segment ends is no longer known: the reader fell behind.
    if (window_->oldest() > next_) return window_passed();
    if (!frame) {
      return stop{false, "the write-ahead log segment " + segment_path_ + " holds no whole frame " +
                             std::to_string(next_) + ", which is durable"};
    }
    if (frame->lsn < next_) continue;  // before the reader's start
    if (frame->lsn > next_)
      return stop{false, "the write-ahead log segment " + segment_path_ + " lacks frame " + std::to_string(next_)};
    for (const auto& record : frame->records) visit(frame->lsn, record);
    visited += frame->records.size();
    ++next_;
  }
  return std::nullopt;
}

// Frames through the durable lsn are whole on disk, but bytes buffered past
// the last frame read may have been read before they were written (zeros,
// or part of a frame): a frame that does not decode is read again from the
// file before it counts as missing. One that decodes, checksum and lsn
// matching, holds what was written.
std::optional<wal_frame> wal_reader::next_frame() {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt > 0) buffer_.resize(consumed_);  // drop what may be stale
    if (!buffer_at_least(8)) continue;
    auto size = frame_size(std::string_view(buffer_).substr(consumed_));
    if (size == 0 || !buffer_at_least(size)) continue;
    std::string_view in(buffer_.data() + consumed_, size);
    if (auto frame = decode_frame(in)) {
      consumed_ += size;
      return frame;
    }
  }
  return std::nullopt;
}

bool wal_reader::buffer_at_least(std::size_t bytes) {
  if (buffer_.size() - consumed_ >= bytes) return true;
  // Keep only what is not read yet, then read what is missing and more.
  buffer_.erase(0, consumed_);
  buffer_offset_ += consumed_;
  consumed_ = 0;
  auto have = buffer_.size();
  auto want = bytes - have + read_ahead_bytes;
  buffer_.resize(have + want);
  std::size_t got = 0;
  while (got < want) {
    auto n = ::pread(segment_.get(), buffer_.data() + have + got, want - got,
                     static_cast<off_t>(buffer_offset_ + have + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    if (have + got >= bytes) break;
  }
  buffer_.resize(have + got);
  return buffer_.size() >= bytes;
}

}  // namespace roster::storage
