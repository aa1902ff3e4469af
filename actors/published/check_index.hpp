// The check index: what a permission check reads of each project, readable
// from any thread — the RPC loop, an embedding service — without a hop to the
// project's actor (SPEC C1 at the rate backends call it).
//
// The project actor stays the only owner and writer of its grants. It holds
// its view's lock exclusively for every turn in which it runs, so a reader
// never sees a change half made, and it marks the view readable at the end
// of a turn only when every change it holds is durable (DESIGN "Durability":
// nothing not durable is revealed) and its copies of team members are
// complete. A removal is acknowledged only after the turn that made it, so a
// check that starts after the acknowledgement sees it (SPEC C5).
//
// A team's member change may be acknowledged before the project's next
// turn (the team sends it ahead of its commit, with a ticket): the team
// counts it on the view before sending, the project uncounts it once taken
// in, and readers ask the actor while any is on its way.
//
// Readers never wait: when the view is busy, not readable, a member change
// is on its way, or the question needs more than the view holds, they are
// told to ask the actor instead.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "actors/published/platform_facts.hpp"
#include "actors/support/domain.hpp"
#include "actors/support/id_table.hpp"
#include "domain/access.hpp"
#include "domain/role_schema.hpp"

namespace roster::actors {

class clock;

// Aligned to cache lines: a reader touches the lock's line and the one
// after it, and no other view's.
class alignas(64) project_view {
 public:
  // Allowed or denied; nullopt when the project's actor must answer. The
  // time is read only for a user whose access may have ended (P9); without
  // a clock, the actor answers those.
  std::optional<bool> try_check(entity_id user, platform_facts::fact fact, std::string_view action,
                                const clock* time) const;

  // Starts loading the view's lock and fields: its two cache lines.
  void prefetch() const {
    __builtin_prefetch(this);
    __builtin_prefetch(reinterpret_cast<const char*>(this) + sizeof(*this) - 1);
  }

  // Starts loading the project's grants, once the view's lines have had
  // time to arrive.
  void prefetch_grants() const {
    if (auto* grants = grants_.load(std::memory_order_relaxed)) grants->prefetch();
  }
  // Starts loading `user`'s entry in the grants, once they have arrived.
  // Reads the grants, so under the lock: the actor may be freeing them.
  void prefetch_entry(entity_id user) const;

  // ---- a team about to send the project a member change that its caller
  // may hear acknowledged before the project's next turn (the change comes
  // with a commit ticket): from now until the project has taken the change
  // in, readers ask the actor, which applies it once durable (SPEC C5).
  void expect_member_change() { member_changes_on_the_way_.fetch_add(1); }

  // ---- the owning project actor only
  void member_change_arrived() { member_changes_on_the_way_.fetch_sub(1); }
  std::shared_mutex& turn_lock() { return lock_; }
  // Points the view at the actor's state. Call with turn_lock() held, before
  // the actor is published: changes counted for an actor before it are lost
  // with its mailbox. `tenant` is the project's (N1), fixed for its life.
  void attach(const project_grants* grants, const std::shared_ptr<const role_schema>* schema, const bool* deleted,
              entity_id tenant);
  // Call with turn_lock() held, at the end of each turn: readers then see
  // the schema and deleted flag as the turn left them, without reaching
  // into the actor's state for them.
  void set_readable(bool readable);
  // The actor's state is about to go: forget it. Call with turn_lock() held.
  void detach();
  // Whether a reader was answered from the view since the last call: checks
  // answered here never reach the actor, yet keep it in use (passivation).
  bool take_read() { return read_.exchange(false, std::memory_order_relaxed); }

  // N5: the project's tenant, readable without the lock (it never changes
  // once an actor attached); nullopt before any did.
  std::optional<entity_id> tenant() const {
    auto tenant = tenant_.load(std::memory_order_acquire);
    return tenant == unknown_tenant ? std::nullopt : std::optional<entity_id>(tenant);
  }

 private:
  static constexpr entity_id unknown_tenant = ~entity_id{0};

  mutable std::shared_mutex lock_;
  mutable std::atomic<bool> read_{false};
  bool readable_ = false;
  std::atomic<std::uint32_t> member_changes_on_the_way_{0};
  // What readers use, as the last turn left it. Atomic only so that
  // prefetch_grants may read it without the lock: prefetching a stale
  // address is harmless.
  std::atomic<const project_grants*> grants_{nullptr};
  const role_schema* schema_ = nullptr;
  // Where in the actor's state the turns change the schema and the deleted
  // flag.
  const std::shared_ptr<const role_schema>* schema_in_state_ = nullptr;
  const bool* deleted_in_state_ = nullptr;
  std::atomic<entity_id> tenant_{unknown_tenant};
};

class check_index {
 public:
  check_index() = default;
  check_index(const check_index&) = delete;
  check_index& operator=(const check_index&) = delete;

  // The clock checks read when a user's access may have ended (P9).
  void keep_time_by(const clock* time) { time_ = time; }

  // The view of `project`, created on first use. Views are never freed while
  // the index lives, so a reader's pointer stays valid; an actor activated
  // again takes over the same view.
  project_view* view_of(entity_id project);

  // Allowed or denied from the published views; nullopt when the actors
  // must answer (unknown or removed user, project not active, busy, a
  // change not yet durable, an action the schema lacks or one too long to
  // be valid, which the actors refuse with invalid_argument).
  std::optional<bool> try_check(entity_id user, entity_id project, std::string_view action,
                                const platform_facts& facts) const;

  // Start loading what try_check reads first, without waiting: a bulk call
  // asks for the memory of checks a few ahead while it answers this one,
  // so their cache misses overlap instead of following one another. The
  // cells first; the view once its cell has had time to arrive; then the
  // project's grants the view points to.
  void prefetch_cells(entity_id user, entity_id project, const platform_facts& facts) const;
  void prefetch_view(entity_id project) const;
  void prefetch_grants(entity_id project) const;
  void prefetch_entry(entity_id user, entity_id project) const;

  // N5: the tenant of `project` as its view publishes it; nullopt when no
  // actor of it was ever active (the caller then reads storage).
  std::optional<entity_id> project_tenant(entity_id project) const;

 private:
  // The view of `project` if one was ever made, else null.
  const project_view* published_view(entity_id project) const;

  id_table<project_view*> views_;
  // Views live in chunks of their own rather than one allocation each among
  // the actors' state: a view outlives its actor, and one left alone on a
  // page would keep the page of a passivated actor's memory resident.
  static constexpr std::size_t views_per_chunk = 4096;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<project_view[]>> pool_;
  std::size_t pool_used_ = 0;
  const clock* time_ = nullptr;
};

}  // namespace roster::actors
