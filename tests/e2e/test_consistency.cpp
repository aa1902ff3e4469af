// C5: a removal is effective when acknowledged. While one client removes
// team members and revokes grants, others check the same users without
// pause; every check that started after a removal's acknowledgement must be
// denied. A logical clock orders the events across threads: a check takes
// its stamp before it is sent, a removal after its acknowledgement arrives.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "roster/client.hpp"
#include "support/connected_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::connect;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

constexpr int repetitions = 50;
constexpr int members = 12;
constexpr int checkers = 3;

struct observed_check {
  std::uint64_t started;
  int member;
  bool allowed;
};

}  // namespace

TEST_CASE("C5 no check that starts after a removal's acknowledgement allows (50 rounds)", "[e2e][consistency]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto admin = connect(server);
  REQUIRE(admin.add_user("owner", "owner@example.org").ok());
  std::vector<Id> users;
  for (int m = 0; m < members; ++m) {
    auto id = admin.add_user("member" + std::to_string(m), "member" + std::to_string(m) + "@example.org");
    REQUIRE(id.ok());
    users.push_back(*id);
  }
  auto owner = admin.act_as("owner");

  for (int round = 0; round < repetitions; ++round) {
    INFO("round " << round);
    // Half the members reach the project through a team, half directly.
    auto team = owner.create_team("t" + std::to_string(round));
    REQUIRE(team.ok());
    REQUIRE(owner.set_team(*team, TeamChanges{std::nullopt, std::nullopt, Admission::direct}).ok());
    auto project = owner.create_project("p" + std::to_string(round));
    REQUIRE(project.ok());
    REQUIRE(owner.grant_team(*project, *team, ProjectAccess{{Level{"", "view"}}, false, false}).ok());
    for (int m = 0; m < members; ++m) {
      if (m % 2 == 0) {
        REQUIRE(owner.add_to_team(*team, users[m]).ok());
      } else {
        auto inv = owner.invite_to_project(*project, "member" + std::to_string(m),
                                           ProjectAccess{{Level{"", "view"}}, false, false});
        REQUIRE(inv.ok());
        REQUIRE(admin.act_as(users[m]).accept_invitation(*inv).ok());
      }
    }
    for (int m = 0; m < members; ++m) REQUIRE(*admin.check(users[m], *project, "view_outputs"));

    std::atomic<std::uint64_t> clock{1};
    std::vector<std::atomic<std::uint64_t>> acknowledged(members);
    for (auto& a : acknowledged) a = ~std::uint64_t{0};
    std::atomic<bool> done{false};
    std::vector<std::vector<observed_check>> seen(checkers);
    std::vector<std::thread> threads;
    for (int c = 0; c < checkers; ++c)
      threads.emplace_back([&, c] {
        auto client = Client::connect(server.address(), server.token());
        if (!client) return;
        for (int i = 0; !done.load(); ++i) {
          int m = (i * 7 + c) % members;
          auto started = clock.fetch_add(1);
          auto allowed = client->check(users[m], *project, "view_outputs");
          if (allowed) seen[c].push_back({started, m, *allowed});
        }
      });
    for (int m = 0; m < members; ++m) {
      bool ok = m % 2 == 0 ? owner.remove_from_team(*team, users[m]).ok()
                           : owner.revoke(*project, GrantSubject::of_user(users[m])).ok();
      REQUIRE(ok);
      acknowledged[m] = clock.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    done = true;
    for (auto& t : threads) t.join();

    std::size_t after_ack = 0;
    for (const auto& per_thread : seen)
      for (const auto& check : per_thread) {
        if (check.started <= acknowledged[check.member]) continue;
        ++after_ack;
        INFO("member " << check.member << " check stamped " << check.started << " after ack "
                       << acknowledged[check.member]);
        REQUIRE_FALSE(check.allowed);
      }
    // The round must have exercised the rule, not only the setup.
    REQUIRE(after_ack > 0);
  }
}
