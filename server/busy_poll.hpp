// Runs an RPC loop that polls for a short while before it sleeps.
//
// A client that waits for each answer before it sends its next call leaves
// the loop idle for a round trip per call. If the loop sleeps in epoll_wait
// meanwhile, each call also pays for waking the loop's thread, dear in a
// virtual machine. After each frame read, the loop keeps polling, without
// sleeping, for `window`; a frame within the window starts it again. It
// does not poll while a call waits on the actors: their threads need the
// cores then, and their answer wakes the loop anyway. Off unless
// --busy-poll-us: it pays where one connection waits on each answer, not
// where the loop is busy already (bench/RESULTS.md, the 2026-12-02 “where a check at 1 in flight goes” entry).
//
// Include only from .cpp files: it pulls in the KJ headers.
#pragma once

#include <kj/async.h>

#include <chrono>
#include <cstdint>
#include <functional>

#include "schema/framed_stream.hpp"

namespace roster::server {

class busy_poll final : public frame_observer {
 public:
  // `may_poll` says whether polling is worthwhile now (no call waits on
  // the actors). A zero window turns polling off.
  busy_poll(std::chrono::microseconds window, std::function<bool()> may_poll);

  void frame_read() override;

  // Runs the loop of `wait_scope` until `stop` resolves.
  void run_until(kj::Promise<void> stop, kj::WaitScope& wait_scope);

 private:
  std::chrono::microseconds window_;
  std::function<bool()> may_poll_;
  std::uint64_t frames_ = 0;
  bool stopped_ = false;
  kj::Maybe<kj::Own<kj::PromiseFulfiller<void>>> next_frame_;
};

}  // namespace roster::server
