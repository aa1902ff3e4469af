// What every actor shares: storage, time, ids, published user facts and the
// server settings. Owned by whoever starts the actor system (rosterd, a test)
// and outlives every actor.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "actors/published/check_index.hpp"
#include "actors/published/platform_facts.hpp"
#include "actors/support/domain.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/tenancy.hpp"

namespace roster::actors {

class actor_registry;  // actor_registry.hpp: CAF, kept out of this header

// Time comes from here so that tests can move it (invitation expiry, I6/I7).
class clock {
 public:
  virtual ~clock() = default;
  virtual millis now() const = 0;
};

class system_clock final : public clock {
 public:
  millis now() const override {
    auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
  }
};

class manual_clock final : public clock {
 public:
  explicit manual_clock(millis start) : now_(start) {}
  millis now() const override { return now_.load(); }
  void advance(millis by) { now_ += by; }

 private:
  std::atomic<millis> now_;
};

enum class team_creation : std::uint8_t { everyone, team_managers };

struct settings {
  millis invitation_ttl = 14LL * 24 * 3600 * 1000;            // I1: 14 days
  team_creation who_creates_teams = team_creation::everyone;  // U3
  // An actor unused this long stops and frees its memory; its next use
  // activates it again from storage. 0 keeps every actor once activated.
  millis passivate_after = 60'000;
  // How many idle actors the directory asks in one turn of a sweep; the rest
  // in later turns, so that calls pass between slices.
  std::size_t idle_questions_per_turn = 1000;
};

// The user, team and project actors in memory now, by kind, and how many
// were activated and passivated since the start: the directory counts, tests
// and metrics read.
struct actor_census {
  static constexpr std::size_t kinds = 3;
  // 'U', 'T' or 'P' (the registry's kinds), as an index of the arrays below.
  static std::size_t index_of(char kind) { return kind == 'U' ? 0 : kind == 'T' ? 1 : 2; }
  static constexpr std::array<const char*, kinds> kind_names = {"user", "team", "project"};

  std::array<std::atomic<std::size_t>, kinds> active{};
  std::array<std::atomic<std::uint64_t>, kinds> activated{};
  std::array<std::atomic<std::uint64_t>, kinds> passivated{};

  std::size_t active_total() const {
    std::size_t total = 0;
    for (auto& n : active) total += n.load(std::memory_order_relaxed);
    return total;
  }
};

class runtime {
 public:
  runtime(storage_port& storage, const clock& time, settings config);
  ~runtime();

  // Ids are revealed only by changes committed with a high-water mark at
  // least as large, so an id lost in a crash was never seen by anyone.
  entity_id allocate_id() { return next_id_.fetch_add(1, std::memory_order_relaxed); }

  // The published facts about `user`, learnt from storage on first use
  // after a start. Users that do not exist are not cached.
  platform_facts::fact user_fact(entity_id user);

  // U4: counts a change about `user` in and reads their fact after it (see
  // platform_facts). Hold `in_flight` until the change's batch is submitted;
  // refuse the change if `fact` says the user is removed. Nothing is
  // counted for the service (no_entity).
  struct admitted {
    platform_facts::change_in_flight in_flight;
    platform_facts::fact fact;
  };
  admitted admit_change_about(entity_id user);

  // N1: the tenant of an existing user, learnt from storage on first use;
  // nullopt for a user that does not exist. The service (no_entity) has none.
  std::optional<entity_id> user_tenant(entity_id user);

  // N2, N4, U2: how `acting` (no_entity: the service) stands towards an
  // entity of `tenant`. A user that does not exist is an outsider.
  domain::authority authority_over(entity_id acting, entity_id tenant);

  storage_port& storage;
  const clock& time;
  const settings config;
  platform_facts facts;
  check_index checks;
  // The user, team and project actors in memory (the directory writes it).
  actor_census census;
  // The active ones, for sending to them directly (the directory publishes).
  actor_registry& registry() { return *registry_; }

 private:
  std::atomic<entity_id> next_id_;
  std::unique_ptr<actor_registry> registry_;
};

}  // namespace roster::actors
