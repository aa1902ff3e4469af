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
