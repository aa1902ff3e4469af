// rosterd in a child process, driven through roster::Client as an embedding
// service would.
#include <catch2/catch.hpp>

#include "roster/client.hpp"
#include "support/temp_dir.hpp"
#include "support/server_process.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {
Client connect(const server_process& server) {
  auto client = Client::connect(server.address(), server.token());
  REQUIRE(client.ok());
  return std::move(client).value();
}
ProjectAccess level(const std::string& name) { return ProjectAccess{{Level{"", name}}, false, false}; }
}  // namespace

TEST_CASE("C1 end to end: team grant, check allowed, member leaves, check denied", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.ping().ok());

  auto alice = client.add_user("alice", "alice@example.org");
  auto bob = client.add_user("bob", "bob@example.org");
  REQUIRE(alice.ok());
  REQUIRE(bob.ok());
  auto as_alice = client.act_as("alice");
  auto as_bob = client.act_as(*bob);

  auto team = as_alice.create_team("Data Science", "🔬");
  REQUIRE(team.ok());
  auto inv = as_alice.invite_to_team(*team, "bob", MemberFlags{true, true});
  REQUIRE(inv.ok());
  auto inbox = as_bob.inbox();
  REQUIRE(inbox.ok());
  CHECK(inbox->unread == 1);
  REQUIRE(inbox->invitations.size() == 1);
  CHECK(inbox->invitations[0].id == *inv);
  REQUIRE(as_bob.accept_invitation(*inv).ok());

  auto project = as_alice.create_project("P");
  REQUIRE(project.ok());
  REQUIRE(as_alice.grant_team(*project, *team, level("edit")).ok());
  auto allowed = client.check("bob", *project, "view_files");
  REQUIRE(allowed.ok());
  CHECK(*allowed);

  REQUIRE(as_bob.leave_team(*team).ok());
  auto denied = client.check(*bob, *project, "view_files");
  REQUIRE(denied.ok());
  CHECK_FALSE(*denied);

  CHECK(server.stop() == 0);
}

TEST_CASE("U1 end to end: bad input answers its error code and changes nothing", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());

  CHECK(client.add_user("carol", "not-an-email").error().code == ErrorCode::invalid_argument);
  CHECK(client.add_user("ALICE", "other@example.org").error().code == ErrorCode::already_exists);
  CHECK(client.act_as("ghost").create_team("t").error().code == ErrorCode::unauthenticated);
  CHECK(client.act_as("alice").create_team(std::string(129, 'x')).error().code == ErrorCode::invalid_argument);
  CHECK(client.check("ghost", 1, "view_outputs").error().code == ErrorCode::not_found);
  // The refused e-mail was not reserved.
  CHECK(client.add_user("carol", "carol@example.org").ok());
  CHECK(server.stop() == 0);
}

TEST_CASE("I2 end to end: accepting someone else's invitation is refused", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  REQUIRE(client.add_user("bob", "bob@example.org").ok());
  REQUIRE(client.add_user("mallory", "mallory@example.org").ok());
  auto team = client.act_as("alice").create_team("core");
  auto inv = client.act_as("alice").invite_to_team(*team, "bob");
  REQUIRE(inv.ok());
  CHECK(client.act_as("mallory").accept_invitation(*inv).error().code == ErrorCode::permission_denied);
  auto show = client.act_as("alice").show_team(*team);
  REQUIRE(show.ok());
  CHECK(show->members.size() == 1);
  CHECK(server.stop() == 0);
}

TEST_CASE("a wrong service token is unauthenticated", "[e2e][security]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = Client::connect(server.address(), "not-the-token");
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().code == ErrorCode::unauthenticated);
  CHECK(server.stop() == 0);
}

TEST_CASE("C6 end to end: a clean stop and a restart keep everything", "[e2e][durability]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  Id project = 0;
  {
    auto client = connect(server);
    REQUIRE(client.add_user("alice", "alice@example.org").ok());
    auto p = client.act_as("alice").create_project("P");
    REQUIRE(p.ok());
    project = *p;
  }
  CHECK(server.stop() == 0);
  server.start();
  auto client = connect(server);
  auto owner = client.check("alice", project, "invite_own");
  REQUIRE(owner.ok());
  CHECK(*owner);
  CHECK(server.stop() == 0);
}

TEST_CASE("C6 a second rosterd on the same data directory refuses to start", "[e2e][durability]") {
  temp_dir dir;
  server_process first(dir.path() + "/data");
  server_process second(dir.path() + "/data");
  first.start();
  CHECK_THROWS_WITH(second.start(), Catch::Contains("another rosterd is using"));
  auto client = Client::connect(first.address(), first.token());
  REQUIRE(client.ok());
  CHECK(client->ping().ok());
  CHECK(first.stop() == 0);
}
