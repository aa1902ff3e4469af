// P9 through rosterd and roster::Client: a grant given until an instant
// answers denied from that instant on, and then its holder is told.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "roster/client.hpp"
#include "support/connected_client.hpp"
#include "support/eventually.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::connect;
using roster::testing::eventually;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {
Millis wall_clock() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

TEST_CASE(
    "P9 through the client: access given until an instant ends then, is shown with its end, and its holder is told",
    "[e2e][expiry]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  REQUIRE(client.add_user("bob", "bob@example.org").ok());
  auto alice = client.act_as("alice");
  auto project = alice.create_project("Atlas");
  REQUIRE(project.ok());
  ProjectAccess access;
  access.levels.push_back(Level{"", "view"});
  access.expires = wall_clock() + 1500;
  auto invitation = alice.invite_to_project(*project, "bob", access);
  REQUIRE(invitation.ok());
  REQUIRE(client.act_as("bob").accept_invitation(*invitation).ok());

  auto allowed = client.check("bob", *project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed);
  auto listed = alice.collaborators(*project);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->at(0).access.expires == access.expires);
  auto explained = client.explain("bob", *project);
  REQUIRE(explained.ok());
  REQUIRE(explained->grants.size() == 1);
  CHECK(explained->grants[0].access.expires == access.expires);

  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(access.expires + 1)));
  allowed = client.check("bob", *project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK_FALSE(*allowed);
  REQUIRE(eventually([&] {
    auto inbox = client.act_as("bob").inbox();
    if (!inbox) return false;
    for (const auto& n : inbox->notifications)
      if (n.kind == NotificationKind::access_ended) return true;
    return false;
  }));
  listed = alice.collaborators(*project);
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  CHECK(server.stop() == 0);
}

TEST_CASE(
    "P9 through the client: a team membership given until an instant ends then, is listed with its end, and "
    "its member is told",
    "[e2e][expiry]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  REQUIRE(client.add_user("bob", "bob@example.org").ok());
  auto alice = client.act_as("alice");
  auto team = alice.create_team("core");
  REQUIRE(team.ok());
  auto project = alice.create_project("Atlas");
  REQUIRE(project.ok());
  ProjectAccess view;
  view.levels.push_back(Level{"", "view"});
  REQUIRE(alice.grant_team(*project, *team, view).ok());
  auto ends = wall_clock() + 1500;
  auto invitation = alice.invite_to_team(*team, "bob", {}, "", ends);
  REQUIRE(invitation.ok());
  auto inbox = client.act_as("bob").inbox();
  REQUIRE(inbox.ok());
  REQUIRE(inbox->invitations.size() == 1);
  CHECK(inbox->invitations[0].membership_expires == ends);
  REQUIRE(client.act_as("bob").accept_invitation(*invitation).ok());

  auto allowed = client.check("bob", *project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed);
  auto shown = alice.show_team(*team);
  REQUIRE(shown.ok());
  REQUIRE(shown->members.size() == 2);
  for (const auto& m : shown->members) CHECK(m.expires == (m.username == "bob" ? ends : 0));

  std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::milliseconds(ends + 1)));
  allowed = client.check("bob", *project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK_FALSE(*allowed);
  REQUIRE(eventually([&] {
    auto now = client.act_as("bob").inbox();
    if (!now) return false;
    for (const auto& n : now->notifications)
      if (n.kind == NotificationKind::access_ended && n.subject == *team) return true;
    return false;
  }));
  shown = alice.show_team(*team);
  REQUIRE(shown.ok());
  CHECK(shown->members.size() == 1);
  CHECK(server.stop() == 0);
}
