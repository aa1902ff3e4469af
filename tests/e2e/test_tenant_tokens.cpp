// N5: a service token scoped to one tenant acts only on that tenant's
// users, teams and projects and on the guests of its projects; anything
// else is not found. Tenants themselves are a server-wide admin's.
#include <catch2/catch.hpp>

#include "roster/client.hpp"
#include "server/service_token.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

const std::string admin_token = "admin-0123456789abcdef";
const std::string acme_token = "acme-0123456789abcdef";
const std::string ghost_token = "ghost-0123456789abcdef";

template <class T>
bool not_found(const Result<T>& r) {
  return !r.ok() && r.error().code == ErrorCode::not_found;
}

}  // namespace

TEST_CASE("N5 tokens file: a tenant scope names its tenant by name, spaces and all, or by id", "[security][tokens]") {
  temp_dir dir;
  auto tokens = server::read_tokens(dir.write("tokens", "tenant Acme Corp " + acme_token +
                                                            "\n"
                                                            "tenant 42 " +
                                                            ghost_token + "\n"));
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].scope == server::token_scope::tenant);
  CHECK(tokens[0].tenant == "Acme Corp");
  CHECK(tokens[1].tenant == "42");
  CHECK(server::scope_of(acme_token, tokens) == server::token_scope::tenant);
  CHECK_THROWS_WITH(server::read_tokens(dir.write("bad", "tenant " + acme_token + "\n")),
                    Catch::Contains("line 1") && Catch::Contains("expected tenant NAME TOKEN"));
}

TEST_CASE("N5 a tenant's token acts only on its tenant and its projects' guests, and administers no tenant",
          "[e2e][security][tokens][tenant]") {
  temp_dir dir;
  auto tokens = dir.write(
      "tokens", "admin " + admin_token + "\ntenant acme " + acme_token + "\ntenant ghost " + ghost_token + "\n");
  server_process server(dir.path() + "/data", {"--tokens-file=" + tokens});
  server.start();

  // The tenants are created after the start: a tenant token finds its
  // tenant as it connects.
  auto admin = Client::connect(server.address(), admin_token);
  REQUIRE(admin.ok());
  REQUIRE(admin->create_tenant("acme").ok());
  REQUIRE(admin->create_tenant("globex").ok());
  REQUIRE(admin->add_user("wile", "wile@example.org", "", PlatformRole::standard, TenantRef::parse("acme")).ok());
  REQUIRE(admin->add_user("road", "road@example.org", "", PlatformRole::standard, TenantRef::parse("globex")).ok());
  auto launch = admin->act_as("wile").create_project("launch");
  auto highway = admin->act_as("road").create_project("highway");
  REQUIRE(launch.ok());
  REQUIRE(highway.ok());
  auto inv = admin->act_as("wile").invite_to_project(*launch, "road@example.org", ProjectAccess{{Level{"", "view"}}});
  REQUIRE(inv.ok());
  REQUIRE(admin->act_as("road").accept_invitation(*inv).ok());

  auto acme = Client::connect(server.address(), acme_token);
  REQUIRE(acme.ok());

  // Users: added to acme only, never as platform admins.
  auto coyote = acme->add_user("coyote", "coyote@example.org");
  REQUIRE(coyote.ok());
  auto shown = admin->as_service().show_user("coyote");
  REQUIRE(shown.ok());
  CHECK(shown->tenant != 0);
  CHECK(shown->tenant == admin->as_service().show_user("wile")->tenant);
  CHECK(
      not_found(acme->add_user("daffy", "daffy@example.org", "", PlatformRole::standard, TenantRef::parse("globex"))));
  auto platform_admin = acme->add_user("daffy", "daffy@example.org", "", PlatformRole::admin);
  REQUIRE_FALSE(platform_admin.ok());
  CHECK(platform_admin.error().code == ErrorCode::permission_denied);

  // Acting: as acme's users only, never as the service.
  CHECK(not_found(acme->act_as("road").show_user("road")));
  CHECK(acme->act_as("wile").show_user("coyote").ok());
  auto as_service = acme->as_service().show_user("wile");
  REQUIRE_FALSE(as_service.ok());
  CHECK(as_service.error().code == ErrorCode::permission_denied);
  auto listed = acme->act_as("wile").list_projects();
  REQUIRE(listed.ok());
  REQUIRE(listed->projects.size() == 1);
  CHECK(listed->projects[0].id == *launch);

  // Checks and queries: acme's projects, its users and its projects' guests.
  auto wile_checks = acme->check("wile", *launch, "view_outputs");
  REQUIRE(wile_checks.ok());
  CHECK(*wile_checks);
  auto guest_checks = acme->check("road", *launch, "view_outputs");
  REQUIRE(guest_checks.ok());
  CHECK(*guest_checks);
  CHECK(not_found(acme->check("road", *highway, "view_outputs")));
  CHECK(not_found(acme->check("wile", *highway, "view_outputs")));
  auto bulk = acme->check_bulk({{"wile", *launch, "view_outputs"},
                                {"road", *highway, "view_outputs"},
                                {"road", *launch, "view_outputs"},
                                {"coyote", *launch, "view_outputs"}});
  REQUIRE(bulk.ok());
  REQUIRE(bulk->size() == 4);
  CHECK((*bulk)[0].allowed);
  CHECK((*bulk)[1].error == std::optional<ErrorCode>(ErrorCode::not_found));
  CHECK((*bulk)[2].allowed);
  CHECK_FALSE((*bulk)[3].error.has_value());
  CHECK_FALSE((*bulk)[3].allowed);
  CHECK(acme->explain("road", *launch).ok());
  CHECK(not_found(acme->explain("road", *highway)));
  CHECK(not_found(acme->lookup_projects("road")));
  auto wile_sees = acme->lookup_projects("wile");
  REQUIRE(wile_sees.ok());
  REQUIRE(wile_sees->projects.size() == 1);
  CHECK(wile_sees->projects[0].id == *launch);
  CHECK(not_found(acme->lookup_users(*highway, "view_outputs")));
  CHECK(acme->lookup_users(*launch, "view_outputs").ok());

  // A platform admin of acme acting through acme's token is held to acme.
  REQUIRE(admin->add_user("boss", "boss@example.org", "", PlatformRole::admin, TenantRef::parse("acme")).ok());
  REQUIRE(admin->act_as("road").create_team("roads").ok());
  auto boss = acme->act_as("boss");
  CHECK(not_found(boss.add_user("daffy", "daffy@example.org", "", PlatformRole::standard, TenantRef::parse("globex"))));
  auto boss_adds_admin = boss.add_user("daffy", "daffy@example.org", "", PlatformRole::admin);
  REQUIRE_FALSE(boss_adds_admin.ok());
  CHECK(boss_adds_admin.error().code == ErrorCode::permission_denied);
  auto promoted = boss.set_role("wile", PlatformRole::admin);
  REQUIRE_FALSE(promoted.ok());
  CHECK(promoted.error().code == ErrorCode::permission_denied);
  auto boss_teams = boss.list_teams();
  REQUIRE(boss_teams.ok());
  CHECK(boss_teams->empty());
  CHECK(not_found(boss.show_user("road")));
  CHECK(not_found(boss.show_project(*highway)));
  REQUIRE(admin->as_service().list_teams().ok());
  CHECK(admin->as_service().list_teams()->size() == 1);  // roads, which acme's token did not show

  // Tenants are a server-wide admin's.
  auto created = acme->create_tenant("initech");
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().code == ErrorCode::permission_denied);
  auto tenants = acme->list_tenants();
  REQUIRE_FALSE(tenants.ok());
  CHECK(tenants.error().code == ErrorCode::permission_denied);

  // A token whose tenant does not exist lets nothing in.
  auto ghost = Client::connect(server.address(), ghost_token);
  REQUIRE_FALSE(ghost.ok());
  CHECK(ghost.error().code == ErrorCode::unauthenticated);
  CHECK(server.stop() == 0);
}
