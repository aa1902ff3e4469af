// Several clients make acknowledged changes; rosterd is killed with SIGKILL
// at a random moment and restarted; every acknowledged change must be there
// (SPEC C6). Several cycles on the same data directory.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include "roster/client.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

// What a worker saw acknowledged.
struct acknowledged {
  std::vector<std::string> users;              // registered usernames
  std::vector<std::pair<Id, Id>> teams;        // (team, manager)
  std::vector<std::pair<Id, Id>> invitations;  // (invitation, invitee), not yet answered
  std::vector<std::pair<Id, Id>> memberships;  // (team, member) via an accepted invitation
};

// Registers users, creates a team, invites and accepts, until the server dies.
void work(const std::string& address, const std::string& token, const std::string& prefix, acknowledged& acked,
          std::mutex& mutex) {
  auto client = Client::connect(address, token);
  if (!client) return;
  auto& c = client.value();
  auto manager_name = prefix + "m";
  auto manager = c.add_user(manager_name, manager_name + "@example.org");
  if (!manager) return;
  {
    std::lock_guard<std::mutex> guard(mutex);
    acked.users.push_back(manager_name);
  }
  auto team = c.act_as(*manager).create_team(prefix + " team");
  if (!team) return;
  {
    std::lock_guard<std::mutex> guard(mutex);
    acked.teams.emplace_back(*team, *manager);
  }
  for (int i = 0;; ++i) {
    auto name = prefix + "u" + std::to_string(i);
    auto user = c.add_user(name, name + "@example.org");
    if (!user) return;
    {
      std::lock_guard<std::mutex> guard(mutex);
      acked.users.push_back(name);
    }
    auto inv = c.act_as(*manager).invite_to_team(*team, name, MemberFlags{true, false});
    if (!inv) return;
    {
      std::lock_guard<std::mutex> guard(mutex);
      acked.invitations.emplace_back(*inv, *user);
    }
    if (!c.act_as(*user).accept_invitation(*inv)) return;
    std::lock_guard<std::mutex> guard(mutex);
    acked.memberships.emplace_back(*team, *user);
  }
}

void verify(Client& client, const acknowledged& acked) {
  for (const auto& name : acked.users) {
    INFO("user " << name);
    CHECK(client.add_user(name, name + "-again@example.org").error().code == ErrorCode::already_exists);
  }
  for (const auto& [team, manager] : acked.teams) {
    auto shown = client.act_as(manager).show_team(team);
    REQUIRE(shown.ok());
    for (const auto& [t, member] : acked.memberships) {
      if (t != team) continue;
      bool found = false;
      for (const auto& m : shown->members) found |= m.user == member;
      INFO("team " << team << " member " << member);
      CHECK(found);
    }
  }
  for (const auto& [inv, invitee] : acked.invitations) {
    auto inbox = client.act_as(invitee).inbox();
    REQUIRE(inbox.ok());
    bool found = false;
    for (const auto& i : inbox->invitations) found |= i.id == inv;
    INFO("invitation " << inv << " to " << invitee);
    CHECK(found);
  }
}

}  // namespace

TEST_CASE("C6 kill -9 at random moments loses no acknowledged change", "[e2e][durability][crash]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  std::mt19937 random(std::random_device{}());
  acknowledged acked;
  std::mutex mutex;
  const int cycles = 5, workers = 4;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    server.start();
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
      threads.emplace_back(work, server.address(), server.token(),
                           "c" + std::to_string(cycle) + "w" + std::to_string(w), std::ref(acked), std::ref(mutex));
    // The kill lands at a random moment once the cycle's first change is
    // acknowledged: a slow machine (a sanitizer build beside other tests)
    // must not see every cycle end before its workers get going.
    auto changes = [&] {
      std::lock_guard<std::mutex> guard(mutex);
      return acked.users.size() + acked.memberships.size();
    };
    const auto before = changes();
    roster::testing::eventually([&] { return changes() != before; }, std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<>(50, 500)(random)));
    server.kill_hard();
    for (auto& t : threads) t.join();

    server.start();  // the data directory opens cleanly after the crash
    auto client = Client::connect(server.address(), server.token());
    REQUIRE(client.ok());
    verify(client.value(), acked);
    server.kill_hard();
  }
  INFO("acknowledged users: " << acked.users.size() << ", memberships: " << acked.memberships.size());
  CHECK(acked.memberships.size() > 0);
}
