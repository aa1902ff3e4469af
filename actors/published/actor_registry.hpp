// The active user, team and project actors, published for sending to them
// directly: the gateway and the actors reach an active actor without a hop
// through the directory, which stays the one that activates and passivates
// them (passivation.hpp).
//
// The directory alone publishes and withdraws; anyone sends. A send enqueues
// while it holds its entry's shard lock (shared), so once withdraw() has
// returned nothing more reaches the old actor directly: a message the
// directory sends it afterwards stands behind every direct one in its
// mailbox. Enqueueing never blocks, so holding the lock costs nothing more.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include <absl/container/node_hash_map.h>
#include <caf/actor.hpp>

#include "actors/support/domain.hpp"
#include "storage/writer_first_lock.hpp"

namespace roster::actors {

using storage::writer_first_lock;

class actor_registry {
 public:
  // Calls `send(handle)` with the active actor of `kind` ('U', 'T' or 'P')
  // `id` and returns true; returns false without calling it when none is
  // published, or the id is of another kind (the caller asks the directory).
  template <class Send>
  bool send_to(char kind, entity_id id, Send&& send) const {
    const auto& shard = shard_of(id);
    std::shared_lock<writer_first_lock> guard(shard.mutex);
    auto it = shard.actors.find(id);
    if (it == shard.actors.end() || it->second.kind != kind) return false;
    it->second.used.store(true, std::memory_order_relaxed);
    send(it->second.handle);
    return true;
  }

  // ---- the directory only
  void publish(char kind, entity_id id, caf::actor handle);
  // Returns once no sender can reach the actor published for `id` any more.
  void withdraw(entity_id id);
  // Whether anyone sent to `id` directly since the last call.
  bool take_used(entity_id id);

 private:
  struct published {
    published(char kind, caf::actor handle) : kind(kind), handle(std::move(handle)) {}
    char kind;
    caf::actor handle;
    mutable std::atomic<bool> used{false};
  };
  // Aligned so that two shards' locks never share a cache line.
  struct alignas(64) shard {
    mutable writer_first_lock mutex;
    // Node-based: an entry's `used` flag stays where it is while the map grows.
    absl::node_hash_map<entity_id, published> actors;
  };

  static constexpr std::size_t shard_count = 64;
  const shard& shard_of(entity_id id) const { return shards_[id % shard_count]; }
  shard& shard_of(entity_id id) { return shards_[id % shard_count]; }

  std::array<shard, shard_count> shards_;
};

}  // namespace roster::actors
