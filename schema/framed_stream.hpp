// framed_stream: Cap'n Proto's MessageStream over a byte stream, built for
// many small RPC messages (FIELD-NOTES "Cap'n Proto").
//
// Cap'n Proto 0.9's own AsyncIoMessageStream reads a frame's segment table
// and segments with separate read() calls and writes every message with its
// own writev(). This one reads into a 64 KiB buffer, so one read() serves
// every frame that arrived together, and gathers the messages written during
// one event-loop turn into a single write, sent when the loop is about to
// wait for I/O.
//
// While more than max_buffered_output waits to be sent, it reads no further
// message: a peer that stops reading its answers stops being served, and
// the memory its answers take is bounded.
//
// It also checks each incoming frame's segment table — count and total size —
// before Cap'n Proto sees it: a frame beyond the limits breaks the connection
// instead of allocating what its header claims.
//
// Include only from .cpp files: it pulls in the KJ and Cap'n Proto headers.
#pragma once

#include <capnp/serialize-async.h>
#include <kj/async-io.h>
#include <kj/vector.h>

#include <cstddef>
#include <cstdint>

namespace roster {

struct frame_limits {
  std::uint32_t max_segments = 64;
  // 8 MiB: a bulk call at its documented maximum is far below this.
  std::uint64_t max_frame_words = std::uint64_t{1} << 20;
  // Beyond this much unsent output, a writer waits for the socket.
  std::size_t max_buffered_output = std::size_t{4} << 20;
};

// Told of each frame read, on the stream's thread: rosterd's RPC loop keeps
// polling while frames keep coming (server/busy_poll.hpp).
class frame_observer {
 public:
  virtual void frame_read() = 0;

 protected:
  ~frame_observer() = default;
};

class framed_stream final : public capnp::MessageStream, private kj::TaskSet::ErrorHandler {
 public:
  explicit framed_stream(kj::AsyncIoStream& inner, frame_limits limits = {}, frame_observer* observer = nullptr);
  ~framed_stream() noexcept(false);

  using capnp::MessageStream::tryReadMessage;
  using capnp::MessageStream::writeMessage;
  using capnp::MessageStream::writeMessages;

  kj::Promise<kj::Maybe<capnp::MessageReaderAndFds>> tryReadMessage(kj::ArrayPtr<kj::AutoCloseFd> fdSpace,
                                                                    capnp::ReaderOptions options,
                                                                    kj::ArrayPtr<capnp::word> scratchSpace) override;
  kj::Promise<void> writeMessage(kj::ArrayPtr<const int> fds,
                                 kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments) override;
  kj::Promise<void> writeMessages(kj::ArrayPtr<kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>>> messages) override;
  kj::Maybe<int> getSendBufferSize() override;
  kj::Promise<void> end() override;

  // How many writes reached the socket: tests and benchmarks read it.
  std::uint64_t socket_writes() const { return socket_writes_; }

 private:
  // Resolves once at least `bytes` are buffered; false on a clean end of
  // stream before the first byte of a frame when `end_allowed`.
  kj::Promise<bool> fill(std::size_t bytes, bool end_allowed);
  kj::Own<capnp::MessageReader> take_frame(std::size_t table_bytes, std::size_t frame_bytes, std::uint32_t segments,
                                           capnp::ReaderOptions options);

  void append(kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments);
  void schedule_flush();
  kj::Promise<void> flush();
  kj::Promise<void> when_drained();
  bool drained() const { return pending_.empty() && !writing_ && !flush_scheduled_; }
  void taskFailed(kj::Exception&& exception) override;

  kj::AsyncIoStream& inner_;
  frame_limits limits_;
  frame_observer* observer_;

  kj::Array<kj::byte> in_;
  std::size_t in_begin_ = 0;
  std::size_t in_end_ = 0;

  kj::Vector<kj::byte> pending_;  // written this loop turn, not yet sent
  kj::Vector<kj::byte> sending_;  // handed to the socket
  bool writing_ = false;
  bool flush_scheduled_ = false;
  kj::Maybe<kj::Exception> write_failure_;
  kj::Vector<kj::Own<kj::PromiseFulfiller<void>>> drain_waiters_;
  std::uint64_t socket_writes_ = 0;
  kj::TaskSet flushes_;
};

}  // namespace roster
