// Facts about a user that every check needs — exists, removed, platform role —
// published as one atomic byte per user id so any thread reads them without a
// hop or a lock. Written only by the directory and user actors, and a change is
// acknowledged only after it is in place here (SPEC C5).
#pragma once

#include <cstdint>

#include "actors/domain.hpp"
#include "actors/id_table.hpp"

namespace roster::actors {

class platform_facts {
 public:
  struct fact {
    bool known = false;  // false: this table has not learnt the user yet
    bool exists = false;
    bool removed = false;
    platform_role role = platform_role::standard;
  };

  fact get(entity_id user) const {
    auto* cell = table_.find(user);
    return cell ? decode(cell->load(std::memory_order_acquire)) : fact{};
  }

  // Starts loading `user`'s fact into the cache without waiting for it.
  void prefetch(entity_id user) const {
    if (auto* cell = table_.find(user)) __builtin_prefetch(cell);
  }

  // The authoritative write, by the actor that owns the fact.
  void set(entity_id user, fact value) {
    if (auto* cell = table_.get(user)) cell->store(encode(value), std::memory_order_release);
  }

  // Fills in a fact read from storage, unless the owner has written one
  // meanwhile (which is newer by construction).
  void learn(entity_id user, fact value) {
    auto* cell = table_.get(user);
    if (!cell) return;
    std::uint8_t unknown = 0;
    cell->compare_exchange_strong(unknown, encode(value), std::memory_order_acq_rel);
  }

 private:
  static std::uint8_t encode(fact f) {
    return static_cast<std::uint8_t>(0x80 | (f.exists ? 1 : 0) | (f.removed ? 2 : 0) |
                                     (static_cast<unsigned>(f.role) << 2));
  }
  static fact decode(std::uint8_t bits) {
    return fact{(bits & 0x80) != 0, (bits & 1) != 0, (bits & 2) != 0, static_cast<platform_role>((bits >> 2) & 3)};
  }

  id_table<std::uint8_t> table_;
};

}  // namespace roster::actors
