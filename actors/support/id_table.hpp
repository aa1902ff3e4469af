// id_table: one atomic cell per entity id, read from any thread without a
// lock. Ids are dense (one counter allocates them all), so the cells live in
// chunks of 65,536 allocated on first use; a read of an id whose chunk does
// not exist yet sees no cell. Chunks are never freed while the table lives.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>

#include "actors/support/domain.hpp"

namespace roster::actors {

template <class Value>
class id_table {
 public:
  using cell = std::atomic<Value>;

  // The largest id that can be tracked; the allocator never reaches it in practice.
  static constexpr entity_id capacity = std::uint64_t{1} << 32;

  id_table() = default;
  id_table(const id_table&) = delete;
  id_table& operator=(const id_table&) = delete;
  ~id_table() {
    for (std::size_t i = 0; i < chunk_count; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
  }

  // The cell of `id`, or null when its chunk does not exist yet (every
  // cell reads as Value{} then) or the id is beyond the capacity.
  const cell* find(entity_id id) const {
    auto* chunk = chunk_for(id, false);
    return chunk ? &chunk[id & chunk_mask] : nullptr;
  }

  // Calls `fn` with the value of every cell of every chunk; for owners of
  // what the cells point to, when no other thread uses the table any more.
  template <class Fn>
  void for_each(Fn fn) const {
    for (std::size_t i = 0; i < chunk_count; ++i)
      if (auto* chunk = chunks_[i].load(std::memory_order_acquire))
        for (std::size_t k = 0; k < (std::size_t{1} << chunk_bits); ++k) fn(chunk[k].load(std::memory_order_relaxed));
  }

  // The cell of `id`, created with Value{} if need be; null only beyond the capacity.
  cell* get(entity_id id) {
    auto* chunk = chunk_for(id, true);
    return chunk ? &chunk[id & chunk_mask] : nullptr;
  }

 private:
  static constexpr unsigned chunk_bits = 16;
  static constexpr entity_id chunk_mask = (entity_id{1} << chunk_bits) - 1;
  static constexpr std::size_t chunk_count = capacity >> chunk_bits;

  cell* chunk_for(entity_id id, bool create) const {
    if (id >= capacity) return nullptr;
    auto& slot = chunks_[id >> chunk_bits];
    cell* chunk = slot.load(std::memory_order_acquire);
    if (chunk || !create) return chunk;
    std::lock_guard<std::mutex> guard(grow_);
    chunk = slot.load(std::memory_order_acquire);
    if (!chunk) {
      chunk = new cell[std::size_t{1} << chunk_bits]();
      slot.store(chunk, std::memory_order_release);
    }
    return chunk;
  }

  std::unique_ptr<std::atomic<cell*>[]> chunks_ = std::make_unique<std::atomic<cell*>[]>(chunk_count);
  mutable std::mutex grow_;
};

}  // namespace roster::actors
