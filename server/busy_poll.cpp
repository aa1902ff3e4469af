#include "server/busy_poll.hpp"

namespace roster::server {

busy_poll::busy_poll(std::chrono::microseconds window, std::function<bool()> may_poll)
    : window_(window), may_poll_(std::move(may_poll)) {}

void busy_poll::frame_read() {
  ++frames_;
  KJ_IF_MAYBE (waiter, next_frame_) {
    (*waiter)->fulfill();
    next_frame_ = nullptr;
  }
}

void busy_poll::run_until(kj::Promise<void> stop, kj::WaitScope& wait_scope) {
  if (window_.count() == 0) return stop.wait(wait_scope);
  auto end = [this]() {
    stopped_ = true;
    frame_read();  // ends the wait for a frame
  };
  auto stopping = stop.then(end,
                            [end](kj::Exception&& failure) {
                              end();
                              kj::throwFatalException(kj::mv(failure));
                            })
                      .eagerlyEvaluate(nullptr);
  using clock = std::chrono::steady_clock;
  while (!stopped_) {
    // Sleep, serving everything else, until a frame arrives.
    auto paf = kj::newPromiseAndFulfiller<void>();
    next_frame_ = kj::mv(paf.fulfiller);
    paf.promise.wait(wait_scope);
    // Then poll while frames keep arriving within the window.
    auto seen = frames_;
    auto last_frame = clock::now();
    while (!stopped_) {
      wait_scope.poll();
      auto now = clock::now();
      if (frames_ != seen) {
        seen = frames_;
        last_frame = now;
      } else if (now - last_frame > window_ || !may_poll_()) {
        break;
      }
    }
  }
  stopping.wait(wait_scope);  // rethrows a failure of `stop`
}

}  // namespace roster::server
