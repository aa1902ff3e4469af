// Facts about a user that every check needs — exists, removed, platform role —
// published as one atomic byte per user id so any thread reads them without a
// hop or a lock. Written only by the directory and user actors, and a change is
// acknowledged only after it is in place here (SPEC C5).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "actors/domain.hpp"

namespace roster::actors {

class platform_facts {
 public:
  struct fact {
    bool known = false;  // false: this table has not learnt the user yet
    bool exists = false;
    bool removed = false;
    platform_role role = platform_role::standard;
  };

  platform_facts() = default;
  platform_facts(const platform_facts&) = delete;
  platform_facts& operator=(const platform_facts&) = delete;
  ~platform_facts() {
    for (std::size_t i = 0; i < chunk_count; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
  }

  fact get(entity_id user) const {
    auto* chunk = chunk_for(user, false);
    if (!chunk) return {};
    return decode(chunk[user & chunk_mask].load(std::memory_order_acquire));
  }

  // The authoritative write, by the actor that owns the fact.
  void set(entity_id user, fact value) {
    auto* chunk = chunk_for(user, true);
    if (!chunk) return;
    chunk[user & chunk_mask].store(encode(value), std::memory_order_release);
  }

  // Fills in a fact read from storage, unless the owner has written one
  // meanwhile (which is newer by construction).
  void learn(entity_id user, fact value) {
    auto* chunk = chunk_for(user, true);
    if (!chunk) return;
    std::uint8_t unknown = 0;
    chunk[user & chunk_mask].compare_exchange_strong(unknown, encode(value), std::memory_order_acq_rel);
  }

  // The largest id that can be tracked; the allocator never reaches it in practice.
  static constexpr entity_id capacity = std::uint64_t{1} << 32;

 private:
  static constexpr unsigned chunk_bits = 16;
  static constexpr entity_id chunk_mask = (entity_id{1} << chunk_bits) - 1;
  static constexpr std::size_t chunk_count = capacity >> chunk_bits;
  using cell = std::atomic<std::uint8_t>;

  static std::uint8_t encode(fact f) {
    return static_cast<std::uint8_t>(0x80 | (f.exists ? 1 : 0) | (f.removed ? 2 : 0) |
                                     (static_cast<unsigned>(f.role) << 2));
  }
  static fact decode(std::uint8_t bits) {
    return fact{(bits & 0x80) != 0, (bits & 1) != 0, (bits & 2) != 0,
                static_cast<platform_role>((bits >> 2) & 3)};
  }

  cell* chunk_for(entity_id user, bool create) const {
    if (user >= capacity) return nullptr;
    auto& slot = chunks_[user >> chunk_bits];
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
