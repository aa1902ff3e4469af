// Deadlines for an actor's requests to other actors, kept by the actor.
//
// A request with a CAF timeout costs two events on CAF 0.17's clock thread
// (one to set the timer, one to cancel it), each a wake-up of that thread:
// at 4 x 64 invite_accept the clock took a fifth of a core and the worker
// five times the thread switches (bench/RESULTS.md, the 2026-11-23 “jemalloc” entry). The
// requests an actor makes after a commit (inbox mirrors, members' copies in
// projects) go out without a CAF timeout instead, and the actor keeps their
// deadlines here, checked by one timer of its own at a time.
//
// A deadline is still needed: CAF 0.17 has no broken_promise, so a receiver
// that stops while holding a response promise never answers.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <memory>

namespace caf {
class event_based_actor;
}

namespace roster::actors {

class reply_deadlines {
 public:
  using clock = std::chrono::steady_clock;

  // One awaited answer: `settle()` runs the continuation the first time it
  // is called — for the answer, an error, or the deadline, whichever comes
  // first — and never again.
  class wait {
   public:
    wait(std::function<void()> then, clock::time_point opened) : then_(std::move(then)), opened_(opened) {}
    void settle();
    bool settled() const { return !then_; }
    clock::time_point opened() const { return opened_; }

   private:
    std::function<void()> then_;
    clock::time_point opened_;
  };

  explicit reply_deadlines(clock::duration timeout) : timeout_(timeout) {}

  // Opens a wait that runs `then` once answered or after the timeout, and
  // makes sure the actor's timer runs (the actor must route
  // expire_waits_atom to on_timer()).
  std::shared_ptr<wait> open(caf::event_based_actor* self, std::function<void()> then);

  // The timer fired: settles every wait older than the timeout, and sets
  // the timer again for the oldest one left.
  void on_timer(caf::event_based_actor* self);

  // Waits neither settled nor expired (tests).
  std::size_t open_count() const;

 private:
  void drop_settled();
  void set_timer(caf::event_based_actor* self, clock::duration after);

  clock::duration timeout_;
  // Oldest first: each wait is opened at the actor's current time.
  // A list: an empty std::deque holds a 512-byte block, and most actors
  // wait for nothing most of the time (see commit_gate).
  std::list<std::shared_ptr<wait>> waits_;
  bool timer_set_ = false;
};

}  // namespace roster::actors
