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
// Readers never wait: when the view is busy, not readable, or the question
// needs more than the view holds, they are told to ask the actor instead.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "actors/access.hpp"
#include "actors/domain.hpp"
#include "actors/id_table.hpp"
#include "actors/platform_facts.hpp"
#include "actors/role_schema.hpp"

namespace roster::actors {

class project_view {
 public:
  // Allowed or denied; nullopt when the project's actor must answer.
  std::optional<bool> try_check(entity_id user, platform_facts::fact fact, std::string_view action) const;

  // ---- the owning project actor only
  std::shared_mutex& turn_lock() { return lock_; }
  // Points the view at the actor's state, which `owner` keeps alive. Call
  // with turn_lock() held.
  void attach(std::shared_ptr<const void> owner, const project_grants* grants, const std::shared_ptr<const role_schema>* schema,
              const bool* deleted);
  // Call with turn_lock() held.
  void set_readable(bool readable) { readable_ = readable && grants_; }
  // The actor is gone: forget its state. Call with turn_lock() held.
  void detach();
  // Whether a reader was answered from the view since the last call: checks
  // answered here never reach the actor, yet keep it in use (passivation).
  bool take_read() { return read_.exchange(false, std::memory_order_relaxed); }

 private:
  mutable std::shared_mutex lock_;
  mutable std::atomic<bool> read_{false};
  bool readable_ = false;
  std::shared_ptr<const void> owner_;
  const project_grants* grants_ = nullptr;
  const std::shared_ptr<const role_schema>* schema_ = nullptr;
  const bool* deleted_ = nullptr;
};

class check_index {
 public:
  check_index() = default;
  check_index(const check_index&) = delete;
  check_index& operator=(const check_index&) = delete;

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

 private:
  id_table<project_view*> views_;
  // Views live in chunks of their own rather than one allocation each among
  // the actors' state: a view outlives its actor, and one left alone on a
  // page would keep the page of a passivated actor's memory resident.
  static constexpr std::size_t views_per_chunk = 4096;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<project_view[]>> pool_;
  std::size_t pool_used_ = 0;
};

}  // namespace roster::actors
