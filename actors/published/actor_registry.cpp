#include "actors/published/actor_registry.hpp"

#include <mutex>

namespace roster::actors {

writer_first_lock::writer_first_lock() {
  pthread_rwlockattr_t attributes;
  pthread_rwlockattr_init(&attributes);
  pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&lock_, &attributes);
  pthread_rwlockattr_destroy(&attributes);
}

writer_first_lock::~writer_first_lock() { pthread_rwlock_destroy(&lock_); }

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
