// roster::EmbeddedServer: Roster inside the test's own process, changed
// through its RPC address as any client would, checked by direct calls.
#include <catch2/catch.hpp>

#include <fstream>

#include "roster/client.hpp"
#include "roster/embedded_server.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::temp_dir;

namespace {

std::string token_of(const std::string& data_dir) {
  std::ifstream in(data_dir + "/service.token");
  std::string token;
  std::getline(in, token);
  return token;
}

ProjectAccess level(const std::string& name) { return ProjectAccess{{Level{"", name}}, false, false}; }

}  // namespace

TEST_CASE("C1 an embedded server answers checks in-process, as the RPC does, and sees every acknowledged change",
          "[e2e]") {
  temp_dir dir;
  auto data = dir.path() + "/data";
  auto server = EmbeddedServer::open({data, "127.0.0.1:0", ""});
  REQUIRE(server.ok());
  auto& roster = **server;
  REQUIRE_FALSE(roster.address().empty());

  auto client = Client::connect(roster.address(), token_of(data));
  REQUIRE(client.ok());
  auto alice = client->add_user("alice", "alice@example.org");
  auto bob = client->add_user("bob", "bob@example.org");
  REQUIRE(alice.ok());
  REQUIRE(bob.ok());
  auto project = client->act_as(*alice).create_project("P");
  REQUIRE(project.ok());

  // Denied, then granted, then revoked: each answer follows the last
  // acknowledged change, whether the actor or the published view answers.
  for (int round = 0; round < 3; ++round) {
    auto denied = roster.check(*bob, *project, "view_outputs");
    REQUIRE(denied.ok());
    CHECK_FALSE(*denied);
    auto inv = client->act_as(*alice).invite_to_project(*project, "bob", level("edit"));
    REQUIRE(inv.ok());
    REQUIRE(client->act_as(*bob).accept_invitation(*inv).ok());
    auto allowed = roster.check(*bob, *project, "view_outputs");
    REQUIRE(allowed.ok());
    CHECK(*allowed);
    CHECK(*roster.check(*bob, *project, "edit_content"));
    CHECK_FALSE(*roster.check(*bob, *project, "remove_collaborators"));
    CHECK(*client->check(*bob, *project, "view_outputs"));  // the RPC agrees
    REQUIRE(client->act_as(*alice).revoke(*project, GrantSubject::of_user(*bob)).ok());
  }

  auto unknown_project = roster.check(*bob, *project + 1000, "view_outputs");
  REQUIRE_FALSE(unknown_project.ok());
  CHECK(unknown_project.error().code == ErrorCode::not_found);
  auto unknown_action = roster.check(*bob, *project, "fly");
  REQUIRE_FALSE(unknown_action.ok());
  CHECK(unknown_action.error().code == ErrorCode::invalid_argument);
  // An id no user has: whatever the RPC answers, the embedded call answers.
  auto unknown_user = roster.check(*bob + 1000, *project, "view_outputs");
  auto over_rpc = client->check(*bob + 1000, *project, "view_outputs");
  REQUIRE(unknown_user.ok() == over_rpc.ok());
  if (over_rpc.ok())
    CHECK(*unknown_user == *over_rpc);
  else
    CHECK(unknown_user.error().code == over_rpc.error().code);
}

TEST_CASE("C6 an embedded server keeps what it acknowledged, and holds its data directory alone", "[e2e]") {
  temp_dir dir;
  auto data = dir.path() + "/data";
  Id bob = 0, project = 0;
  {
    auto server = EmbeddedServer::open({data, "127.0.0.1:0", ""});
    REQUIRE(server.ok());
    auto second = EmbeddedServer::open({data, "", ""});
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == ErrorCode::unavailable);
    CHECK(second.error().message.find("locked") != std::string::npos);

    auto client = Client::connect((*server)->address(), token_of(data));
    REQUIRE(client.ok());
    auto alice = client->add_user("alice", "alice@example.org");
    auto added = client->add_user("bob", "bob@example.org");
    REQUIRE(alice.ok());
    REQUIRE(added.ok());
    bob = *added;
    auto created = client->act_as(*alice).create_project("P");
    REQUIRE(created.ok());
    project = *created;
    auto inv = client->act_as(*alice).invite_to_project(project, "bob", level("view"));
    REQUIRE(inv.ok());
    REQUIRE(client->act_as(bob).accept_invitation(*inv).ok());
  }
  // Reopened without RPC: the grant is there.
  auto reopened = EmbeddedServer::open({data, "", ""});
  REQUIRE(reopened.ok());
  CHECK((*reopened)->address().empty());
  auto allowed = (*reopened)->check(bob, project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed);
}
