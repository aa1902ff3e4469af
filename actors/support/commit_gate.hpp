// Holds back what a change reveals until the change is durable (SPEC C6).
//
// An actor applies a change in memory at once, so its next message sees it,
// hands the records to storage through persist(), and wraps every reply and
// every message to another actor in after_durable(). Those run in order once
// the commits queued before them are durable — or, if one failed, with the
// failure, after which the actor must stop: its memory holds a change that
// will never be durable, and it reloads from storage on next use.
//
// The storage writer publishes how far the gate's commits are durable, and
// wakes the actor only when something waits for that (or when the actor asks
// to hear of every commit). A change whose answer needs nothing from the
// actor once durable hands that answer to persist(): the writer sends it
// itself, one thread hand-off sooner.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "actors/support/domain.hpp"
#include "actors/support/runtime.hpp"

namespace caf {
class local_actor;
}

namespace roster::actors {

// The outcome of one commit, for a message sent before the commit is
// durable: its receiver acts on it once the writer reports it durable, and
// drops it if the commit failed.
class commit_ticket {
 public:
  enum class outcome : std::uint8_t { pending, durable, failed };

  outcome now() const { return outcome_.load(); }
  void settle(bool durable) { outcome_.store(durable ? outcome::durable : outcome::failed); }

 private:
  std::atomic<outcome> outcome_{outcome::pending};
};

class commit_gate {
 public:
  using release_fn = std::function<void(const failure* error)>;

  commit_gate() = default;
  // Actor state is default-constructed, on the thread that spawns the actor;
  // bind, in the actor, before the first persist(). What the storage writer
  // shares with the gate is made here, on the actor's thread, whose hand-off
  // to the writer (a mutex) ThreadSanitizer sees; it cannot see CAF's own
  // from the spawning thread.
  void bind(runtime& rt) {
    rt_ = &rt;
    lineage_ = std::make_shared<write_lineage>();
    progress_ = std::make_shared<progress>();
  }
  // The actor hears of every commit, waited for or not (a project publishes
  // its state for checks only while nothing it holds is uncommitted).
  void notice_every_commit() { notice_every_commit_ = true; }

  // Queues `batch` for the next group commit. The storage writer reports back
  // to `self` with (committed_atom, seq) when something waits for it, and
  // always with (commit_failed_atom, seq, why) on a failure. `in_writer`, if
  // given, runs on the writer's thread once the batch is durable or failed:
  // it may only send messages (an answer, inbox mirrors), and only when
  // nothing earlier waits in this gate (direct_release_allowed()).
  void persist(caf::local_actor* self, write_batch batch, entity_id high_id, release_fn in_writer = nullptr);

  // Runs `release` at once when nothing is pending, else after the last
  // commit queued so far.
  void after_durable(release_fn release);

  bool idle() const { return issued_ == durable(); }
  // Nothing queued before now waits to run in the actor: work the writer
  // does for the next commit cannot overtake any.
  bool direct_release_allowed() const { return waiting_.empty(); }

  // Work a change still has to do after it is durable (updating other
  // actors' copies, delivering inbox mirrors, answering) holds a token from
  // here until it is done, so the actor knows when it may stop.
  using work_token = std::shared_ptr<const void>;
  work_token hold() const { return in_progress_; }

  // Nothing waits for storage and nothing holds a token: stopping the actor
  // now loses no work and no answer (passivation).
  bool quiescent() const { return idle() && in_progress_.use_count() == 1; }

  void on_committed();
  // Releases everything waiting with `unavailable`, and starts a new
  // lineage for an actor that goes on (its memory must not hold the failed
  // change: the directory's does not).
  void on_failed(std::uint64_t seq, const std::string& why);

 private:
  // What the writer's thread and the actor share.
  struct progress {
    std::atomic<std::uint64_t> durable{0};  // the last commit durable
    std::atomic<bool> wants_notice{false};  // something waits in the actor
  };

  std::uint64_t durable() const { return std::max(settled_, progress_->durable.load()); }
  void release_durable();

  runtime* rt_ = nullptr;
  std::shared_ptr<write_lineage> lineage_;
  std::shared_ptr<progress> progress_;
  bool notice_every_commit_ = false;
  std::uint64_t issued_ = 0;
  std::uint64_t settled_ = 0;  // every commit through here failed
  std::uint64_t failed_through_ = 0;
  // A list, not a deque: every actor has a gate and is mostly idle, and an
  // empty std::deque still holds a 512-byte block (at 200,000 active
  // projects and teams, 100 MB for nothing).
  std::list<std::pair<std::uint64_t, release_fn>> waiting_;
  work_token in_progress_ = std::make_shared<int>(0);
};

}  // namespace roster::actors
