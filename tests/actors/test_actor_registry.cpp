// The registry of active actors (actors/published/actor_registry.hpp): what the
// gateway and the actors send to directly, and what passivation withdraws.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "actors/messages.hpp"
#include "actors/published/actor_registry.hpp"
#include "support/system_fixture.hpp"

using namespace roster::actors;
using roster::testing::prompt_answerer;
using roster::testing::system_fixture;

TEST_CASE("Registry: a published actor is reached by its kind and id only, and not after it is withdrawn",
          "[registry]") {
  system_fixture f;
  actor_registry registry;
  auto team = f.spawn<prompt_answerer>();
  auto reached = [&](char kind, entity_id id) {
    caf::actor found;
    bool sent = registry.send_to(kind, id, [&](const caf::actor& a) { found = a; });
    CHECK(sent == static_cast<bool>(found));
    return found;
  };

  CHECK_FALSE(reached('T', 7));
  registry.publish('T', 7, team);
  CHECK(reached('T', 7) == team);
  CHECK_FALSE(reached('P', 7));       // the same id named as another kind's
  CHECK_FALSE(reached('T', 7 + 64));  // another id in the same shard

  // Used flags: a send marks the entry; taking the flag clears it.
  CHECK(registry.take_used(7));
  CHECK_FALSE(registry.take_used(7));
  reached('P', 7);
  CHECK_FALSE(registry.take_used(7));  // a refused send is no use

  registry.withdraw(7);
  CHECK_FALSE(reached('T', 7));
  CHECK_FALSE(registry.take_used(7));
  registry.withdraw(7);  // twice is harmless

  auto fresh = f.spawn<prompt_answerer>();
  registry.publish('T', 7, fresh);
  CHECK(reached('T', 7) == fresh);
}

// The guarantee passivation rests on: once withdraw() has returned, no
// sender is still inside a send to the old actor.
TEST_CASE("Registry: no send to an actor is under way once its withdrawal has returned", "[registry]") {
  system_fixture f;
  actor_registry registry;
  auto old_actor = f.spawn<prompt_answerer>();
  std::atomic<bool> withdrawn{false};
  std::atomic<int> late{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 3; ++t)
    senders.emplace_back([&] {
      while (!stop.load()) {
        registry.send_to('U', 42, [&](const caf::actor&) {
          std::this_thread::yield();  // a send that takes its time
          if (withdrawn.load()) ++late;
        });
        std::this_thread::yield();  // and a gap between sends, as real senders leave
      }
    });
  for (int round = 0; round < 200; ++round) {
    registry.publish('U', 42, old_actor);
    std::this_thread::yield();
    registry.withdraw(42);
    withdrawn.store(true);
    std::this_thread::yield();
    withdrawn.store(false);
  }
  stop.store(true);
  for (auto& t : senders) t.join();
  CHECK(late.load() == 0);
}

// Senders that never pause must not keep the directory's withdrawal (or
// publication) out: a reader-preferring lock would starve it for good.
TEST_CASE("Registry: withdrawals and publications get through senders that never pause", "[registry]") {
  system_fixture f;
  actor_registry registry;
  auto actor = f.spawn<prompt_answerer>();
  registry.publish('P', 9, actor);
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 3; ++t)
    senders.emplace_back([&] {
      while (!stop.load()) registry.send_to('P', 9, [](const caf::actor&) { std::this_thread::yield(); });
    });
  // Starved, the rounds would never end: the senders stop after 5 s anyway,
  // and the rounds' time tells.
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done.load() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop.store(true);
  });
  auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < 200; ++round) {
    registry.withdraw(9);
    registry.publish('P', 9, actor);
  }
  auto took = std::chrono::steady_clock::now() - started;
  done.store(true);
  watchdog.join();
  for (auto& t : senders) t.join();
  CHECK(took < std::chrono::seconds(4));
}
