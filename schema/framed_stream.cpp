#include "schema/framed_stream.hpp"

#include <kj/debug.h>

#include <sys/socket.h>

#include <cstring>
#include <utility>

namespace roster {
namespace {

constexpr std::size_t read_buffer_bytes = 64 * 1024;

std::uint32_t read_u32(const kj::byte* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

void write_u32(kj::byte* p, std::uint32_t v) {
  p[0] = static_cast<kj::byte>(v);
  p[1] = static_cast<kj::byte>(v >> 8);
  p[2] = static_cast<kj::byte>(v >> 16);
  p[3] = static_cast<kj::byte>(v >> 24);
}

// The segment table: a count, one size per segment, padded to a word.
std::size_t table_bytes_for(std::uint32_t segments) { return (4 + 4 * std::size_t{segments} + 7) & ~std::size_t{7}; }

}  // namespace

framed_stream::framed_stream(kj::AsyncIoStream& inner, frame_limits limits, frame_observer* observer)
    : inner_(inner),
      limits_(limits),
      observer_(observer),
      in_(kj::heapArray<kj::byte>(read_buffer_bytes)),
      flushes_(*this) {}

framed_stream::~framed_stream() noexcept(false) {}

// ------------------------------------------------------------------ reading

kj::Promise<bool> framed_stream::fill(std::size_t bytes, bool end_allowed) {
  std::size_t have = in_end_ - in_begin_;
  if (have >= bytes) return true;
  if (in_begin_ + bytes > in_.size()) {
    // Move what is buffered to the front; grow only for a frame larger than
    // the buffer (bounded by the frame limits checked before this call).
    if (bytes > in_.size()) {
      auto bigger = kj::heapArray<kj::byte>(bytes);
      std::memcpy(bigger.begin(), in_.begin() + in_begin_, have);
      in_ = kj::mv(bigger);
    } else {
      std::memmove(in_.begin(), in_.begin() + in_begin_, have);
    }
    in_begin_ = 0;
    in_end_ = have;
  }
  return inner_.tryRead(in_.begin() + in_end_, bytes - have, in_.size() - in_end_)
      .then([this, bytes, have, end_allowed](std::size_t got) -> kj::Promise<bool> {
        in_end_ += got;
        if (got >= bytes - have) return true;
        if (end_allowed && have == 0 && got == 0) return false;
        return KJ_EXCEPTION(DISCONNECTED, "the peer closed the connection in the middle of a message");
      });
}

kj::Promise<kj::Maybe<capnp::MessageReaderAndFds>> framed_stream::tryReadMessage(kj::ArrayPtr<kj::AutoCloseFd>,
                                                                                 capnp::ReaderOptions options,
                                                                                 kj::ArrayPtr<capnp::word>) {
  // A peer that does not read its answers gets no more of its calls read
  // until it does: its output stays bounded, and it stalls only itself.
  if (pending_.size() > limits_.max_buffered_output)
    return when_drained().then([this, options]() { return tryReadMessage(nullptr, options, nullptr); });
  return fill(8, true).then([this, options](bool got) -> kj::Promise<kj::Maybe<capnp::MessageReaderAndFds>> {
    if (!got) return kj::Maybe<capnp::MessageReaderAndFds>(nullptr);
    std::uint64_t segments = std::uint64_t{read_u32(in_.begin() + in_begin_)} + 1;
    if (segments > limits_.max_segments)
      return KJ_EXCEPTION(FAILED, "message frame has too many segments", segments, limits_.max_segments);
    auto count = static_cast<std::uint32_t>(segments);
    auto table = table_bytes_for(count);
    return fill(table, false)
        .then([this, count, table, options](bool) -> kj::Promise<kj::Maybe<capnp::MessageReaderAndFds>> {
          std::uint64_t words = 0;
          for (std::uint32_t i = 0; i < count; ++i) words += read_u32(in_.begin() + in_begin_ + 4 + 4 * i);
          if (words > limits_.max_frame_words)
            return KJ_EXCEPTION(FAILED, "message frame is larger than allowed", words, limits_.max_frame_words);
          auto frame = table + words * sizeof(capnp::word);
          return fill(frame, false).then([this, count, table, frame, options](bool) {
            return kj::Maybe<capnp::MessageReaderAndFds>(
                capnp::MessageReaderAndFds{take_frame(table, frame, count, options), nullptr});
          });
        });
  });
}

kj::Own<capnp::MessageReader> framed_stream::take_frame(std::size_t table, std::size_t frame, std::uint32_t count,
                                                        capnp::ReaderOptions options) {
  const kj::byte* start = in_.begin() + in_begin_;
  // The read buffer is reused for the next frames: the message gets its own
  // copy, one allocation for all of its segments.
  auto words = kj::heapArray<capnp::word>((frame - table) / sizeof(capnp::word));
  std::memcpy(words.begin(), start + table, frame - table);
  auto segments = kj::heapArray<kj::ArrayPtr<const capnp::word>>(count);
  std::size_t offset = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::size_t size = read_u32(start + 4 + 4 * i);
    segments[i] = kj::arrayPtr(words.begin() + offset, size);
    offset += size;
  }
  in_begin_ += frame;
  if (in_begin_ == in_end_) {
    in_begin_ = in_end_ = 0;
    if (in_.size() > read_buffer_bytes) in_ = kj::heapArray<kj::byte>(read_buffer_bytes);
  }
  auto reader = kj::heap<capnp::SegmentArrayMessageReader>(segments.asPtr(), options);
  if (observer_) observer_->frame_read();
  return reader.attach(kj::mv(words), kj::mv(segments));
}

// ------------------------------------------------------------------ writing

void framed_stream::append(kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments) {
  auto count = static_cast<std::uint32_t>(segments.size());
  KJ_REQUIRE(count > 0, "a message has at least one segment");
  kj::byte table[4 + 4 * 64 + 4];
  auto table_size = table_bytes_for(count);
  auto* out_table = table_size <= sizeof table ? table : nullptr;
  kj::Array<kj::byte> large_table;
  if (!out_table) {
    large_table = kj::heapArray<kj::byte>(table_size);
    out_table = large_table.begin();
  }
  std::memset(out_table, 0, table_size);
  write_u32(out_table, count - 1);
  for (std::uint32_t i = 0; i < count; ++i)
    write_u32(out_table + 4 + 4 * i, static_cast<std::uint32_t>(segments[i].size()));
  pending_.addAll(out_table, out_table + table_size);
  for (auto segment : segments) {
    auto bytes = segment.asBytes();
    pending_.addAll(bytes.begin(), bytes.end());
  }
}

kj::Promise<void> framed_stream::writeMessage(kj::ArrayPtr<const int> fds,
                                              kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments) {
  KJ_REQUIRE(fds.size() == 0, "this connection does not carry file descriptors");
  KJ_IF_MAYBE (failure, write_failure_) {
    return kj::cp(*failure);
  }
  append(segments);
  schedule_flush();
  // The bytes are copied: the caller may reuse its segments at once, unless
  // the peer reads too slowly and the output is at its limit.
  if (pending_.size() > limits_.max_buffered_output) return when_drained();
  return kj::READY_NOW;
}

kj::Promise<void> framed_stream::writeMessages(
    kj::ArrayPtr<kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>>> messages) {
  KJ_IF_MAYBE (failure, write_failure_) {
    return kj::cp(*failure);
  }
  for (auto message : messages) append(message);
  schedule_flush();
  if (pending_.size() > limits_.max_buffered_output) return when_drained();
  return kj::READY_NOW;
}

void framed_stream::schedule_flush() {
  if (flush_scheduled_ || writing_) return;
  flush_scheduled_ = true;
  // evalLast: after every other event of this turn, so their messages ride
  // along in the same write.
  flushes_.add(kj::evalLast([this]() { return flush(); }));
}

kj::Promise<void> framed_stream::flush() {
  flush_scheduled_ = false;
  if (pending_.empty()) {
    for (auto& waiter : drain_waiters_) waiter->fulfill();
    drain_waiters_.clear();
    return kj::READY_NOW;
  }
  std::swap(pending_, sending_);
  writing_ = true;
  ++socket_writes_;
  return inner_.write(sending_.begin(), sending_.size()).then([this]() {
    writing_ = false;
    sending_.clear();
    return flush();
  });
}

kj::Promise<void> framed_stream::when_drained() {
  if (drained()) return kj::READY_NOW;
  auto paf = kj::newPromiseAndFulfiller<void>();
  drain_waiters_.add(kj::mv(paf.fulfiller));
  return kj::mv(paf.promise);
}

void framed_stream::taskFailed(kj::Exception&& exception) {
  writing_ = false;
  for (auto& waiter : drain_waiters_) waiter->reject(kj::cp(exception));
  drain_waiters_.clear();
  write_failure_ = kj::mv(exception);
}

kj::Maybe<int> framed_stream::getSendBufferSize() {
  int size = 0;
  uint length = sizeof size;
  KJ_IF_MAYBE (failure,
               kj::runCatchingExceptions([&]() { inner_.getsockopt(SOL_SOCKET, SO_SNDBUF, &size, &length); })) {
    return nullptr;  // not a socket (an in-process pipe)
  }
  return size;
}

kj::Promise<void> framed_stream::end() {
  return when_drained().then([this]() { inner_.shutdownWrite(); });
}

}  // namespace roster
