// C7 revisions through rosterd and roster::Client: every write answers one,
// reads that name one answer from a state at least that new.
#include <catch2/catch.hpp>

#include <chrono>

#include "roster/client.hpp"
#include "support/connected_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::connect;
using roster::testing::server_process;
using roster::testing::temp_dir;

TEST_CASE("C7 every write answers a revision that only grows, across a restart too", "[e2e][revisions]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  std::uint64_t last = 0;
  {
    auto client = connect(server);
    CHECK(client.revision() == 0);
    REQUIRE(client.add_user("alice", "alice@example.org").ok());
    auto registered = client.revision();
    CHECK(registered > 0);
    REQUIRE(client.act_as("alice").create_team("Analysts").ok());
    CHECK(client.revision() > registered);
    last = client.revision();
    // A refused write changes nothing and answers no revision.
    REQUIRE_FALSE(client.add_user("alice", "other@example.org").ok());
    CHECK(client.revision() == last);
  }
  REQUIRE(server.stop() == 0);
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("bob", "bob@example.org").ok());
  CHECK(client.revision() > last);
}

TEST_CASE("C7 a read at the revision another client's write answered sees that write", "[e2e][revisions]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto writer = connect(server);
  auto reader = connect(server);
  REQUIRE(writer.add_user("alice", "alice@example.org").ok());
  REQUIRE(writer.add_user("bob", "bob@example.org").ok());
  auto project = writer.act_as("alice").create_project("Atlas");
  REQUIRE(project.ok());
  ProjectAccess view;
  view.levels.push_back(Level{"", "view"});
  REQUIRE(writer.act_as("alice").invite_to_project(*project, "bob", view).ok());
  auto team = writer.act_as("alice").create_team("Analysts");
  REQUIRE(team.ok());
  REQUIRE(writer.act_as("alice").grant_team(*project, *team, view).ok());

  reader.read_at_least(writer.revision());
  auto allowed = reader.check("alice", *project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed);
  auto explained = reader.explain("alice", *project);
  REQUIRE(explained.ok());
  auto bulk = reader.check_bulk({{"alice", *project, "view_outputs"}, {"bob", *project, "view_outputs"}});
  REQUIRE(bulk.ok());
  REQUIRE(bulk->size() == 2);
  CHECK((*bulk)[0].allowed);
}

TEST_CASE("C7 a read at a revision the server has not reached waits, then answers revision_not_reached",
          "[e2e][revisions]") {
  temp_dir dir;
  server_process server(dir.path() + "/data", {"--revision-wait-ms=300"});
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  auto project = client.act_as("alice").create_project("Atlas");
  REQUIRE(project.ok());

  client.read_at_least(client.revision() + 1000000);
  auto started = std::chrono::steady_clock::now();
  auto refused = client.check("alice", *project, "view_outputs");
  auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::revision_not_reached);
  CHECK(refused.error().message.find("not reached within 300 ms") != std::string::npos);
  CHECK(waited >= std::chrono::milliseconds(250));
  CHECK(waited < std::chrono::seconds(5));
  auto explained = client.explain("alice", *project);
  REQUIRE_FALSE(explained.ok());
  CHECK(explained.error().code == ErrorCode::revision_not_reached);
  auto looked_up = client.lookup_projects("alice");
  REQUIRE_FALSE(looked_up.ok());
  CHECK(looked_up.error().code == ErrorCode::revision_not_reached);

  // Writes do not wait; a read at a reached revision answers at once.
  REQUIRE(client.act_as("alice").create_team("Analysts").ok());
  client.read_at_least(client.revision());
  auto allowed = client.check("alice", *project, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed);
}
