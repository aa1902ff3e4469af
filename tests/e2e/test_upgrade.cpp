// N1: a data directory written before tenants upgrades in place. Every user,
// team and project in it belongs to `default`, and the server behaves as it
// did; tenants can be added beside them. The directory is a fixture written
// by the last rosterd before tenants (tests/fixtures/data-before-tenants).
#include <catch2/catch.hpp>

#include <filesystem>

#include "roster/client.hpp"
#include "support/connected_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::connect;
using roster::testing::server_process;
using roster::testing::temp_dir;

TEST_CASE("N1 a data directory written before tenants upgrades in place into the tenant default",
          "[e2e][tenant][upgrade]") {
  temp_dir dir;
  auto data = dir.path() + "/data";
  std::filesystem::copy(ROSTER_FIXTURES "/data-before-tenants", data);
  std::filesystem::remove(data + "/README.md");
  server_process server(data);
  server.start();
  auto client = connect(server);

  auto tenants = client.list_tenants();
  REQUIRE(tenants.ok());
  REQUIRE(tenants->size() == 1);
  CHECK(tenants->at(0).id == 0);
  CHECK(tenants->at(0).name == "default");
  CHECK(tenants->at(0).users == 2);  // the removed one does not count
  CHECK(tenants->at(0).teams == 1);
  CHECK(tenants->at(0).projects == 1);

  auto service = client.as_service();
  auto bob = service.show_user("bob");
  REQUIRE(bob.ok());
  CHECK(bob->tenant == 0);
  auto alice = client.act_as("alice");
  auto team = alice.show_team(3);
  REQUIRE(team.ok());
  CHECK(team->tenant == 0);
  CHECK(team->members.size() == 2);
  auto project = alice.show_project(4);
  REQUIRE(project.ok());
  CHECK(project->tenant == 0);
  auto allowed = client.check("bob", 4, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed);

  // Tenants come beside what was there; new users and what they create
  // carry theirs.
  auto acme = client.create_tenant("acme");
  REQUIRE(acme.ok());
  CHECK(*acme > 8);  // ids are never reused
  auto wile = client.add_user("wile", "wile@example.org", "", PlatformRole::standard, TenantRef("acme"));
  REQUIRE(wile.ok());
  auto rockets = client.act_as("wile").create_team("rockets");
  REQUIRE(rockets.ok());
  auto shown = client.act_as("wile").show_team(*rockets);
  REQUIRE(shown.ok());
  CHECK(shown->tenant == *acme);
  CHECK(server.stop() == 0);
}
