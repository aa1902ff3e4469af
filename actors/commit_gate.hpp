// Holds back what a change reveals until the change is durable (SPEC C6).
//
// An actor applies a change in memory at once, so its next message sees it,
// hands the records to storage through persist(), and wraps every reply and
// every message to another actor in after_durable(). Those run in order once
// the commits queued before them are durable — or, if one failed, with the
// failure, after which the actor must stop: its memory holds a change that
// will never be durable, and it reloads from storage on next use.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "actors/domain.hpp"
#include "actors/runtime.hpp"

namespace caf {
class local_actor;
}

namespace roster::actors {

class commit_gate {
 public:
  using release_fn = std::function<void(const failure* error)>;

  commit_gate() = default;
  // Actor state is default-constructed; bind before the first persist().
  void bind(runtime& rt) { rt_ = &rt; }

  // Queues `batch` for the next group commit. The storage writer reports back
  // to `self` with (committed_atom, seq) or (commit_failed_atom, seq, why).
  void persist(caf::local_actor* self, write_batch batch, entity_id high_id);

  // Runs `release` at once when nothing is pending, else after the last
  // commit queued so far.
  void after_durable(release_fn release);

  bool idle() const { return issued_ == durable_; }

  // Work a change still has to do after it is durable (updating other
  // actors' copies, delivering inbox mirrors, answering) holds a token from
  // here until it is done, so the actor knows when it may stop.
  using work_token = std::shared_ptr<const void>;
  work_token hold() const { return in_progress_; }

  // Nothing waits for storage and nothing holds a token: stopping the actor
  // now loses no work and no answer (passivation).
  bool quiescent() const { return idle() && in_progress_.use_count() == 1; }

  void on_committed(std::uint64_t seq);
  // Releases everything waiting with `unavailable`, and starts a new
  // lineage for an actor that goes on (its memory must not hold the failed
  // change: the directory's does not).
  void on_failed(std::uint64_t seq, const std::string& why);

 private:
  runtime* rt_ = nullptr;
  std::shared_ptr<write_lineage> lineage_ = std::make_shared<write_lineage>();
  std::uint64_t issued_ = 0;
  std::uint64_t durable_ = 0;
  std::uint64_t failed_through_ = 0;
  // A list, not a deque: every actor has a gate and is mostly idle, and an
  // empty std::deque still holds a 512-byte block (at 200,000 active
  // projects and teams, 100 MB for nothing).
  std::list<std::pair<std::uint64_t, release_fn>> waiting_;
  work_token in_progress_ = std::make_shared<int>(0);
};

}  // namespace roster::actors
