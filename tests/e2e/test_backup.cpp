// Online backup and restore (issue: reliability and security, "Backup"):
// `Client::backup` copies a serving rosterd's data; a rosterd started on the
// copy serves exactly what was acknowledged before the backup.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "roster/client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

TEST_CASE("backup: a server started on the copy has everything acknowledged before it, nothing after",
          "[e2e][backup]") {
  temp_dir dir;
  server_process live(dir.path() + "/live");
  live.start();
  Id team = 0, project = 0, alice = 0;
  {
    auto client = Client::connect(live.address(), live.token());
    REQUIRE(client.ok());
    alice = client->add_user("alice", "alice@example.org").value();
    REQUIRE(client->add_user("bob", "bob@example.org").ok());
    auto as_alice = client->act_as(UserRef(alice));
    team = as_alice.create_team("analysts").value();
    auto invitation = as_alice.invite_to_team(team, "bob");
    REQUIRE(invitation.ok());
    REQUIRE(client->act_as(UserRef("bob")).accept_invitation(*invitation).ok());
    project = as_alice.create_project("atlas").value();
    REQUIRE(as_alice.grant_team(project, team, ProjectAccess{{Level{"", "view"}}}).ok());

    auto backed_up = client->backup(dir.path() + "/copy");
    REQUIRE(backed_up.ok());

    // After the backup: a user, a team member, a revoked grant.
    REQUIRE(client->add_user("carol", "carol@example.org").ok());
    auto invitation_after = as_alice.invite_to_team(team, "carol");
    REQUIRE(invitation_after.ok());
    REQUIRE(client->act_as(UserRef("carol")).accept_invitation(*invitation_after).ok());
    REQUIRE(as_alice.revoke(project, GrantSubject::of_team(team)).ok());
    CHECK_FALSE(client->check(UserRef("bob"), project, "view_outputs").value());
  }
  REQUIRE(live.stop() == 0);

  // The copy carries the generated service token, so the same clients get in.
  // Like the data directory, the copy is its owner's alone.
  auto owner_rw = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
  CHECK(std::filesystem::status(dir.path() + "/copy/service.token").permissions() == owner_rw);
  CHECK(std::filesystem::status(dir.path() + "/copy/data.mdb").permissions() == owner_rw);
  CHECK(std::filesystem::status(dir.path() + "/copy").permissions() == std::filesystem::perms::owner_all);
  server_process restored(dir.path() + "/copy");
  restored.start();
  CHECK(restored.token() == live.token());
  auto client = Client::connect(restored.address(), live.token());
  REQUIRE(client.ok());
  CHECK(client->check(UserRef("bob"), project, "view_outputs").value());
  auto as_alice = client->act_as(UserRef(alice));
  auto shown = as_alice.show_team(team);
  REQUIRE(shown.ok());
  CHECK(shown->members.size() == 2);  // alice and bob; carol came later
  auto carol = client->as_service().show_user(UserRef("carol"));
  REQUIRE_FALSE(carol.ok());
  CHECK(carol.error().code == ErrorCode::not_found);
  // And it goes on as a server of its own.
  REQUIRE(client->add_user("carol", "carol@example.org").ok());
}

TEST_CASE("backup: refused for a relative path, a directory with files in it, and a users token",
          "[e2e][backup][security]") {
  temp_dir dir;
  const std::string admin_token = "admin-0123456789abcdef";
  const std::string users_token = "users-0123456789abcdef";
  auto tokens = dir.path() + "/tokens";
  std::ofstream(tokens) << "admin " << admin_token << "\nusers " << users_token << "\n";
  server_process live(dir.path() + "/live", {"--tokens-file=" + tokens});
  live.start();
  auto admin = Client::connect(live.address(), admin_token);
  REQUIRE(admin.ok());

  auto relative = admin->backup("copy");
  REQUIRE_FALSE(relative.ok());
  CHECK(relative.error().code == ErrorCode::invalid_argument);

  std::filesystem::create_directories(dir.path() + "/full");
  std::ofstream(dir.path() + "/full/keep") << "mine";
  auto into_full = admin->backup(dir.path() + "/full");
  REQUIRE_FALSE(into_full.ok());
  CHECK(into_full.error().code == ErrorCode::already_exists);
  CHECK(std::filesystem::exists(dir.path() + "/full/keep"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/full/data.mdb"));

  auto backend = Client::connect(live.address(), users_token);
  REQUIRE(backend.ok());
  auto by_users = backend->backup(dir.path() + "/by-users");
  REQUIRE_FALSE(by_users.ok());
  CHECK(by_users.error().code == ErrorCode::permission_denied);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/by-users"));

  // Without a generated token there is none to copy; the data still is.
  REQUIRE(admin->backup(dir.path() + "/copy").ok());
  CHECK(std::filesystem::exists(dir.path() + "/copy/data.mdb"));
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/copy/service.token"));
  CHECK(admin->ping().ok());
}
