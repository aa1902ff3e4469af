#include "actors/published/actor_registry.hpp"

#include <mutex>

namespace roster::actors {

void actor_registry::publish(char kind, entity_id id, caf::actor handle) {
  auto& shard = shard_of(id);
  std::unique_lock<writer_first_lock> guard(shard.mutex);
  shard.actors.erase(id);
  shard.actors.try_emplace(id, kind, std::move(handle));
}

void actor_registry::withdraw(entity_id id) {
  caf::actor handle;  // released after the lock: the last reference may stop the actor
  auto& shard = shard_of(id);
  std::unique_lock<writer_first_lock> guard(shard.mutex);
  auto it = shard.actors.find(id);
  if (it == shard.actors.end()) return;
  handle = std::move(it->second.handle);
  shard.actors.erase(it);
}

bool actor_registry::take_used(entity_id id) {
  auto& shard = shard_of(id);
  std::shared_lock<writer_first_lock> guard(shard.mutex);
  auto it = shard.actors.find(id);
  return it != shard.actors.end() && it->second.used.exchange(false, std::memory_order_relaxed);
}

}  // namespace roster::actors
