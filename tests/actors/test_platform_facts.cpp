// U4: a user removal is ordered with every change about the user. The
// published facts carry the protocol (platform_facts): a change counts
// itself in before it reads the user's fact, and a removal publishes the
// mark before it waits for the count to reach zero. Whatever the
// interleaving, every change that saw the user present is counted by the
// time the removal stops waiting; none is admitted after.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "actors/published/platform_facts.hpp"

namespace roster::actors {
namespace {

constexpr entity_id bob = 7;
const platform_facts::fact present{true, true, false, platform_role::standard};
const platform_facts::fact removed{true, true, true, platform_role::standard};

TEST_CASE("U4: a change admitted before the mark holds the removal until it is submitted", "[U4]") {
  platform_facts facts;
  facts.set(bob, present);
  auto change = facts.count_in(bob);
  CHECK_FALSE(facts.get_after_count_in(bob).removed);
  facts.set(bob, removed);
  CHECK(facts.changes_in_flight(bob));
  CHECK_FALSE(facts.changes_in_flight(bob + 1));  // another user's removal does not wait
  change = platform_facts::change_in_flight{};    // submitted
  CHECK_FALSE(facts.changes_in_flight(bob));
}

TEST_CASE("U4: a change admitted after the mark sees the user removed", "[U4]") {
  platform_facts facts;
  facts.set(bob, present);
  facts.set(bob, removed);
  auto change = facts.count_in(bob);
  CHECK(facts.get_after_count_in(bob).removed);
}

TEST_CASE("U4: changes in flight move and count out once", "[U4]") {
  platform_facts facts;
  auto first = facts.count_in(bob);
  auto second = facts.count_in(bob);
  auto moved = std::move(first);
  second = std::move(moved);
  CHECK(facts.changes_in_flight(bob));
  second = platform_facts::change_in_flight{};
  CHECK_FALSE(facts.changes_in_flight(bob));
}

TEST_CASE("U4: under contention no change slips past a removal that stopped waiting", "[U4]") {
  // Writers admit a change, read the fact and, if bob is present, make
  // their change. The removal publishes the mark, waits, and takes the
  // count of changes as the ones storage holds ahead of its barrier: no
  // change may come after that count.
  for (int round = 0; round < 200; ++round) {
    platform_facts facts;
    facts.set(bob, present);
    std::atomic<int> changes{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w)
      writers.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        for (int i = 0; i < 200; ++i) {
          auto change = facts.count_in(bob);
          if (facts.get_after_count_in(bob).removed) return;
          changes.fetch_add(1);
        }
      });
    go = true;
    facts.set(bob, removed);
    while (facts.changes_in_flight(bob)) std::this_thread::yield();
    int before_barrier = changes.load();
    for (auto& writer : writers) writer.join();
    REQUIRE(changes.load() == before_barrier);
  }
}

}  // namespace
}  // namespace roster::actors
