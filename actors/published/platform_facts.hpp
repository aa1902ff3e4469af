// Facts about a user that every check needs — exists, removed, platform role,
// tenant-admin flag — published as one atomic byte per user id so any thread
// reads them without a hop or a lock. Written only by the directory and user actors, and a change is
// acknowledged only after it is in place here (SPEC C5).
//
// Beside each fact, a count of the changes about the user under way (U4). A
// change that relates a user to something (a membership, ownership, an
// invitation) is admitted: it counts itself in, then reads the fact, and
// counts itself out once its batch is submitted to storage. A removal
// publishes its mark, then waits for the count to reach zero. Both sides
// write, then read the other's word, in one total order (sequentially
// consistent), so either the change sees the mark and refuses, or the removal
// sees the change counted and waits until storage has it queued ahead of the
// removal's own writes. Admissions are held within one actor turn, never
// across a wait, so the removal waits microseconds.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <utility>

#include "actors/support/domain.hpp"
#include "actors/support/id_table.hpp"

namespace roster::actors {

class platform_facts {
 public:
  using fact = user_standing;

  fact get(entity_id user) const {
    auto* cell = table_.find(user);
    return cell ? decode(cell->load(std::memory_order_acquire)) : fact{};
  }

  // Starts loading `user`'s fact into the cache without waiting for it.
  void prefetch(entity_id user) const {
    if (auto* cell = table_.find(user)) __builtin_prefetch(cell);
  }

  // The authoritative write, by the actor that owns the fact. Sequentially
  // consistent: a removal reads the counts next (see above).
  void set(entity_id user, fact value) {
    if (auto* cell = table_.get(user)) cell->store(encode(value), std::memory_order_seq_cst);
  }

  // A change about one user counted in; counts itself out when destroyed.
  class change_in_flight {
   public:
    change_in_flight() = default;
    explicit change_in_flight(std::atomic<std::uint16_t>* count) : count_(count) {}
    change_in_flight(change_in_flight&& other) noexcept : count_(std::exchange(other.count_, nullptr)) {}
    change_in_flight& operator=(change_in_flight&& other) noexcept {
      release();
      count_ = std::exchange(other.count_, nullptr);
      return *this;
    }
    change_in_flight(const change_in_flight&) = delete;
    change_in_flight& operator=(const change_in_flight&) = delete;
    ~change_in_flight() { release(); }

   private:
    void release() {
      if (count_) count_->fetch_sub(1, std::memory_order_release);
      count_ = nullptr;
    }
    std::atomic<std::uint16_t>* count_ = nullptr;
  };

  // Counts a change about `user` in; read the user's fact after this.
  change_in_flight count_in(entity_id user) {
    auto* count = in_flight_.get(user);
    if (!count) return change_in_flight{};
    count->fetch_add(1, std::memory_order_seq_cst);
    return change_in_flight{count};
  }

  // The fact as a change just admitted must read it (after its count).
  fact get_after_count_in(entity_id user) const {
    auto* cell = table_.find(user);
    return cell ? decode(cell->load(std::memory_order_seq_cst)) : fact{};
  }

  // Whether a change about `user` is admitted and not yet submitted.
  bool changes_in_flight(entity_id user) const {
    auto* count = in_flight_.find(user);
    return count && count->load(std::memory_order_seq_cst) != 0;
  }

  // Fills in a fact read from storage, unless the owner has written one
  // meanwhile (which is newer by construction).
  void learn(entity_id user, fact value) {
    auto* cell = table_.get(user);
    if (!cell) return;
    std::uint8_t unknown = 0;
    cell->compare_exchange_strong(unknown, encode(value), std::memory_order_acq_rel);
  }

  // N1: the user's tenant, fixed when the user is added, so learnt once and
  // never changed; nullopt while not learnt.
  std::optional<entity_id> tenant_of(entity_id user) const {
    auto* cell = tenants_.find(user);
    auto stored = cell ? cell->load(std::memory_order_acquire) : 0;
    return stored == 0 ? std::nullopt : std::optional<entity_id>(stored - 1);
  }
  void learn_tenant(entity_id user, entity_id tenant) {
    if (auto* cell = tenants_.get(user)) cell->store(tenant + 1, std::memory_order_release);
  }

 private:
  static std::uint8_t encode(fact f) {
    return static_cast<std::uint8_t>(0x80 | (f.exists ? 1 : 0) | (f.removed ? 2 : 0) |
                                     (static_cast<unsigned>(f.role) << 2) | (f.tenant_admin ? 0x10 : 0));
  }
  static fact decode(std::uint8_t bits) {
    return fact{(bits & 0x80) != 0, (bits & 1) != 0, (bits & 2) != 0, static_cast<platform_role>((bits >> 2) & 3),
                (bits & 0x10) != 0};
  }

  id_table<std::uint8_t> table_;
  // Only running actor turns hold changes in flight, a few each: 16 bits is ample.
  id_table<std::uint16_t> in_flight_;
  id_table<entity_id> tenants_;  // tenant + 1; 0 while not learnt
};

}  // namespace roster::actors
