// N4 in the actors: a tenant admin has a platform admin's rights inside
// their tenant — over its users, teams and projects — and none in any
// other, where everything stays not found.
#include <catch2/catch.hpp>

#include "support/two_tenants.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {

// wile administers acme; coyote is one of its users.
struct acme_administered : two_tenants {
  acme_administered() { REQUIRE(h.call_void(h.as(root), user_tenant_admin_cmd{h.as(wile), true}).ok()); }

  outcome<user_profile> profile(entity_id user) { return h.call<user_profile>(h.service(), user_show_cmd{h.as(user)}); }
  outcome<entity_id> add_by(entity_id adder, const std::string& username, tenant_ref tenant = {},
                            platform_role role = platform_role::standard) {
    return h.call<entity_id>(h.as(adder),
                             register_user_cmd{username, username + "@example.org", "", role, std::move(tenant)});
  }
};

}  // namespace

TEST_CASE("N4 only admins of the platform or of the tenant set the tenant-admin flag, and it lasts", "[tenant][user]") {
  two_tenants s;
  CHECK(s.h.call_void(s.h.as(s.coyote), user_tenant_admin_cmd{s.h.as(s.wile), true}).code() ==
        ErrorCode::permission_denied);
  CHECK(s.h.call_void(s.h.as(s.road), user_tenant_admin_cmd{s.h.as(s.wile), true}).code() == ErrorCode::not_found);
  REQUIRE(s.h.call_void(s.h.as(s.root), user_tenant_admin_cmd{s.h.as(s.wile), true}).ok());
  // Now wile, an admin of acme, names another.
  REQUIRE(s.h.call_void(s.h.as(s.wile), user_tenant_admin_cmd{s.h.as(s.coyote), true}).ok());
  CHECK(s.h.call_void(s.h.as(s.wile), user_tenant_admin_cmd{s.h.as(s.road), true}).code() == ErrorCode::not_found);
  s.h.restart();
  auto shown = s.h.call<user_profile>(s.h.as(s.coyote), user_show_cmd{s.h.as(s.wile)});
  REQUIRE(shown.ok());
  CHECK(shown.value->tenant_admin);
  CHECK_FALSE(s.h.call<user_profile>(s.h.service(), user_show_cmd{s.h.as(s.road)}).value->tenant_admin);
}

TEST_CASE("N4 a tenant admin adds, changes and removes its tenant's users, and no other tenant's", "[tenant][user]") {
  acme_administered s;
  // Added users join the admin's tenant unless another is named, which
  // is not theirs to add to.
  auto acme_user = s.add_by(s.wile, "bugs");
  REQUIRE(acme_user.ok());
  CHECK(s.profile(*acme_user.value).value->tenant == s.acme);
  CHECK(s.add_by(s.wile, "daffy", tenant_ref{s.globex, {}}).code() == ErrorCode::not_found);
  CHECK(s.add_by(s.wile, "daffy", tenant_ref{no_entity, "default"}).code() == ErrorCode::not_found);
  CHECK(s.add_by(s.wile, "daffy", {}, platform_role::admin).code() == ErrorCode::permission_denied);
  CHECK(s.add_by(s.coyote, "daffy").code() == ErrorCode::permission_denied);

  REQUIRE(s.h.call_void(s.h.as(s.wile), user_role_cmd{s.h.as(s.coyote), platform_role::read_only}).ok());
  CHECK(s.profile(s.coyote).value->role == platform_role::read_only);
  CHECK(s.h.call_void(s.h.as(s.wile), user_role_cmd{s.h.as(s.coyote), platform_role::admin}).code() ==
        ErrorCode::permission_denied);
  REQUIRE(s.h.call_void(s.h.as(s.wile), user_team_manager_cmd{s.h.as(s.coyote), true}).ok());
  CHECK(s.profile(s.coyote).value->team_manager);

  CHECK(s.h.call_void(s.h.as(s.wile), user_role_cmd{s.h.as(s.road), platform_role::read_only}).code() ==
        ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.wile), user_team_manager_cmd{s.h.as(s.road), true}).code() == ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.wile), user_remove_cmd{s.h.as(s.road)}).code() == ErrorCode::not_found);
  CHECK_FALSE(s.profile(s.road).value->removed);

  REQUIRE(s.h.call_void(s.h.as(s.wile), user_remove_cmd{s.h.as(*acme_user.value)}).ok());
  CHECK(s.profile(*acme_user.value).value->removed);
}

TEST_CASE("N4 a tenant admin acts on no platform admin, and a read-only user is no tenant admin", "[tenant][user]") {
  acme_administered s;
  auto boss = s.h.call<entity_id>(
      s.h.service(), register_user_cmd{"boss", "boss@example.org", "", platform_role::admin, tenant_ref{s.acme, {}}});
  REQUIRE(boss.ok());
  CHECK(s.h.call_void(s.h.as(s.wile), user_role_cmd{s.h.as(*boss.value), platform_role::standard}).code() ==
        ErrorCode::permission_denied);
  CHECK(s.h.call_void(s.h.as(s.wile), user_remove_cmd{s.h.as(*boss.value)}).code() == ErrorCode::permission_denied);

  REQUIRE(s.h.call_void(s.h.as(s.wile), user_role_cmd{s.h.as(s.coyote), platform_role::read_only}).ok());
  CHECK(s.h.call_void(s.h.as(s.wile), user_tenant_admin_cmd{s.h.as(s.coyote), true}).code() ==
        ErrorCode::exceeds_platform_role);
  CHECK(s.h.call_void(s.h.as(s.root), user_role_cmd{s.h.as(s.wile), platform_role::read_only}).code() ==
        ErrorCode::exceeds_platform_role);
}

TEST_CASE("N4 a tenant admin acts on every team and project of the tenant, and on nothing of another",
          "[tenant][team][project]") {
  acme_administered s;
  auto launch = s.h.create_project(s.coyote, "launch");
  auto highway = s.h.create_project(s.road, "highway");
  auto roads = s.h.create_team(s.road, "roads");
  auto traps = s.h.create_team(s.coyote, "traps");

  // Teams: renames another's team of the tenant; another tenant's is not there.
  team_set_cmd rename{traps, std::string("snares"), caf::none, caf::none};
  CHECK(s.h.call_void(s.h.as(s.wile), rename).ok());
  rename.team = roads;
  CHECK(s.h.call_void(s.h.as(s.wile), rename).code() == ErrorCode::not_found);

  // Projects: every right on the tenant's (checks included), the owner
  // changed (P6); another tenant's does not exist for them.
  auto allowed = s.h.check(s.wile, launch, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed.value);
  auto explained = s.h.call<explanation>(explain_cmd{s.h.as(s.wile), launch});
  REQUIRE(explained.ok());
  CHECK(explained.value->basis == "tenant_admin");
  CHECK(s.h.call_void(s.h.as(s.wile), project_owner_cmd{launch, s.h.as(s.wile)}).ok());
  CHECK(s.h.call<project_info>(s.h.as(s.coyote), project_show_cmd{launch}).value->owner == s.wile);

  auto denied = s.h.check(s.wile, highway, "view_outputs");
  REQUIRE(denied.ok());
  CHECK_FALSE(*denied.value);
  CHECK(s.h.call<project_info>(s.h.as(s.wile), project_show_cmd{highway}).code() == ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.wile), project_delete_cmd{highway}).code() == ErrorCode::not_found);

  // Lookups: every project of the tenant, none of another.
  auto page = s.h.call<project_page>(lookup_projects_cmd{s.h.as(s.wile), "", 100, no_entity});
  REQUIRE(page.ok());
  REQUIRE(page.value->projects.size() == 1);
  CHECK(page.value->projects[0].id == launch);

  // Without the flag, wile is an ordinary user of acme again.
  REQUIRE(s.h.call_void(s.h.as(s.root), user_tenant_admin_cmd{s.h.as(s.wile), false}).ok());
  rename.team = traps;
  CHECK(s.h.call_void(s.h.as(s.wile), rename).code() == ErrorCode::permission_denied);
}
