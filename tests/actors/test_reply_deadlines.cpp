// An actor's requests without a CAF timeout each still end: answered, failed
// or given up by the actor's own deadline (actors/support/reply_deadlines.hpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "actors/invitations/inbox_delivery.hpp"
#include "support/eventually.hpp"
#include "support/system_fixture.hpp"

using namespace roster::actors;
using roster::testing::prompt_answerer;
using roster::testing::system_fixture;
using namespace std::chrono_literals;

namespace {

// Class-based on purpose: CAF 0.17 spawns a function actor given no
// arguments by dereferencing an empty argument pointer (UBSan reports it).

// Keeps every question's promise and never delivers it: what a receiver that
// stops mid-work looks like to CAF 0.17 (no broken_promise).
class silent_answerer : public caf::event_based_actor {
 public:
  using caf::event_based_actor::event_based_actor;
  caf::behavior make_behavior() override {
    return {[this](quiescent_atom) -> caf::result<void> {
      kept_.push_back(make_response_promise());
      return caf::delegated<void>{};
    }};
  }
  // A kept promise refers to this actor: dropping them at the end lets it go.
  void on_exit() override { kept_.clear(); }

 private:
  std::vector<caf::response_promise> kept_;
};

struct outcome {
  std::atomic<int> settled{0};
  std::atomic<std::size_t> still_open{0};
};

struct asker_state {
  std::unique_ptr<reply_deadlines> deadlines;
};

// Asks `to` `questions` times through a reply_deadlines of `timeout`,
// counting the continuations that run.
caf::behavior asker(caf::stateful_actor<asker_state>* self, caf::actor to, int questions,
                    reply_deadlines::clock::duration timeout, std::shared_ptr<outcome> seen) {
  self->state.deadlines = std::make_unique<reply_deadlines>(timeout);
  auto& deadlines = *self->state.deadlines;
  for (int i = 0; i < questions; ++i)
    request_with_deadline(
        self, deadlines, to,
        [&deadlines, seen] {
          ++seen->settled;
          seen->still_open = deadlines.open_count();
        },
        quiescent_atom_v);
  return reply_deadline_handlers(self, deadlines);
}

// Has an asker put `questions` to `to` and waits until every continuation
// ran: how long that took, or nothing if they did not all run within 5 s.
std::optional<std::chrono::steady_clock::duration> ask(system_fixture& f, const caf::actor& to, int questions,
                                                       reply_deadlines::clock::duration timeout,
                                                       const std::shared_ptr<outcome>& seen) {
  auto started = std::chrono::steady_clock::now();
  f.spawn(asker, to, questions, timeout, seen);
  if (!roster::testing::eventually([&] { return seen->settled == questions; })) return std::nullopt;
  return std::chrono::steady_clock::now() - started;
}

}  // namespace

TEST_CASE("Reply deadlines: answered requests run their continuation once, at the answer", "[deadlines]") {
  system_fixture f;
  auto seen = std::make_shared<outcome>();
  auto took = ask(f, f.spawn<prompt_answerer>(), 3, 10s, seen);
  REQUIRE(took);
  CHECK(*took < 5s);  // not the deadline
  CHECK(seen->still_open == 0);
}

TEST_CASE("Reply deadlines: a receiver that never answers is given up after the timeout", "[deadlines]") {
  system_fixture f;
  auto seen = std::make_shared<outcome>();
  auto took = ask(f, f.spawn<silent_answerer>(), 2, 200ms, seen);
  REQUIRE(took);
  CHECK(*took >= 200ms);
  CHECK(seen->still_open == 0);
  // Given up means settled for good: nothing runs a second time.
  std::this_thread::sleep_for(300ms);
  CHECK(seen->settled == 2);
}

TEST_CASE("Reply deadlines: a receiver that is gone settles the wait at once, with CAF's error", "[deadlines]") {
  system_fixture f;
  auto seen = std::make_shared<outcome>();
  auto gone = f.spawn<prompt_answerer>();
  caf::anon_send_exit(gone, caf::exit_reason::user_shutdown);
  std::this_thread::sleep_for(50ms);
  auto took = ask(f, gone, 1, 10s, seen);
  REQUIRE(took);
  CHECK(*took < 5s);
}
