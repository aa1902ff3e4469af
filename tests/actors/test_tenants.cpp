// N1 in the actors: tenants as entities. Each has a unique name, `default`
// always exists, a user's tenant is named when the user is added and a
// team's and a project's is its creator's, all fixed and durable; a tenant
// is deleted only when it holds no active user, team or project.
#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {

struct tenants {
  actor_harness h;

  outcome<entity_id> create(const std::string& name) { return h.call<entity_id>(h.service(), tenant_create_cmd{name}); }
  entity_id add_user(const std::string& username, tenant_ref tenant) {
    auto id = h.call<entity_id>(h.service(), register_user_cmd{username, username + "@example.org", "",
                                                               platform_role::standard, std::move(tenant)});
    REQUIRE(id.ok());
    return *id.value;
  }
  std::vector<tenant_summary> list() {
    auto out = h.call<tenant_list>(h.service(), tenant_list_cmd{});
    REQUIRE(out.ok());
    return out.value->tenants;
  }
  const tenant_summary* listed(const std::string& name) {
    last = list();
    for (const auto& t : last)
      if (t.info.name == name) return &t;
    return nullptr;
  }
  std::vector<tenant_summary> last;
};

tenant_ref named(const std::string& name) { return tenant_ref{default_tenant, name}; }

}  // namespace

TEST_CASE("N1 a server has the tenant default, which keeps its name and cannot be deleted", "[tenant]") {
  tenants t;
  auto all = t.list();
  REQUIRE(all.size() == 1);
  CHECK(all[0].info.id == default_tenant);
  CHECK(all[0].info.name == "default");
  CHECK(t.h.call_void(t.h.service(), tenant_delete_cmd{tenant_ref{}}).code() == ErrorCode::invalid_argument);
  CHECK(t.h.call_void(t.h.service(), tenant_rename_cmd{tenant_ref{}, "other"}).code() == ErrorCode::invalid_argument);
  // A user added without a tenant, and what they create, are default's.
  auto alice = t.h.add_user("alice");
  auto team = t.h.create_team(alice, "core");
  auto project = t.h.create_project(alice, "P");
  auto shown = t.h.show_team(alice, team);
  REQUIRE(shown.ok());
  CHECK(shown.value->info.tenant == default_tenant);
  auto info = t.h.call<project_info>(t.h.as(alice), project_show_cmd{project});
  REQUIRE(info.ok());
  CHECK(info.value->tenant == default_tenant);
  REQUIRE(t.listed("default") != nullptr);
  CHECK(t.listed("default")->users == 1);
}

TEST_CASE("N1 tenant names are unique ignoring case, follow the rules of names, and are never all digits", "[tenant]") {
  tenants t;
  auto acme = t.create("Acme");
  REQUIRE(acme.ok());
  CHECK(t.create("acme").code() == ErrorCode::already_exists);
  CHECK(t.create("DEFAULT").code() == ErrorCode::already_exists);
  CHECK(t.create("").code() == ErrorCode::invalid_argument);
  CHECK(t.create("12345").code() == ErrorCode::invalid_argument);
  CHECK(t.create(std::string("a\x01b")).code() == ErrorCode::invalid_argument);
  CHECK(t.create(std::string(129, 'x')).code() == ErrorCode::invalid_argument);
  auto globex = t.create("Globex");
  REQUIRE(globex.ok());
  CHECK(t.h.call_void(t.h.service(), tenant_rename_cmd{named("globex"), "ACME"}).code() == ErrorCode::already_exists);
  REQUIRE(t.h.call_void(t.h.service(), tenant_rename_cmd{tenant_ref{*globex.value, {}}, "Initech"}).ok());
  CHECK(t.listed("Globex") == nullptr);
  REQUIRE(t.listed("Initech") != nullptr);
  CHECK(t.listed("Initech")->info.id == *globex.value);
  // The old name is free again; a tenant that is not there is not found.
  CHECK(t.create("globex").ok());
  CHECK(t.h.call_void(t.h.service(), tenant_delete_cmd{named("nowhere")}).code() == ErrorCode::not_found);
  CHECK(t.h.call_void(t.h.service(), tenant_delete_cmd{tenant_ref{999999, {}}}).code() == ErrorCode::not_found);
}

TEST_CASE("N1 users, teams and projects carry their tenant, fixed at creation, across a restart", "[tenant]") {
  tenants t;
  auto acme = t.create("acme");
  REQUIRE(acme.ok());
  auto wile = t.add_user("wile", named("ACME"));
  auto team = t.h.create_team(wile, "rockets");
  auto project = t.h.create_project(wile, "launch");
  auto elsewhere = t.h.call<entity_id>(
      t.h.service(), register_user_cmd{"road", "road@example.org", "", platform_role::standard, named("nowhere")});
  CHECK(elsewhere.code() == ErrorCode::not_found);

  t.h.restart();
  auto user = t.h.call<user_profile>(t.h.service(), user_show_cmd{user_ref{wile, {}}});
  REQUIRE(user.ok());
  CHECK(user.value->tenant == *acme.value);
  auto shown = t.h.show_team(wile, team);
  REQUIRE(shown.ok());
  CHECK(shown.value->info.tenant == *acme.value);
  auto info = t.h.call<project_info>(t.h.as(wile), project_show_cmd{project});
  REQUIRE(info.ok());
  CHECK(info.value->tenant == *acme.value);
  auto* listed = t.listed("acme");
  REQUIRE(listed != nullptr);
  CHECK(listed->users == 1);
  CHECK(listed->teams == 1);
  CHECK(listed->projects == 1);
  // Usernames stay unique across tenants (they are login identities).
  auto taken = t.h.call<entity_id>(t.h.service(),
                                   register_user_cmd{"wile", "other@example.org", "", platform_role::standard, {}});
  CHECK(taken.code() == ErrorCode::already_exists);
}

TEST_CASE("N1 a tenant is deleted only when it holds no active user, team or project", "[tenant]") {
  tenants t;
  auto acme = t.create("acme");
  REQUIRE(acme.ok());
  tenant_delete_cmd remove{tenant_ref{*acme.value, {}}};
  auto wile = t.add_user("wile", named("acme"));
  auto team = t.h.create_team(wile, "rockets");
  auto project = t.h.create_project(wile, "launch");
  CHECK(t.h.call_void(t.h.service(), remove).code() == ErrorCode::tenant_not_empty);
  REQUIRE(t.h.call_void(t.h.as(wile), project_delete_cmd{project}).ok());
  CHECK(t.h.call_void(t.h.service(), remove).code() == ErrorCode::tenant_not_empty);
  REQUIRE(t.h.call_void(t.h.as(wile), team_delete_cmd{team}).ok());
  CHECK(t.h.call_void(t.h.service(), remove).code() == ErrorCode::tenant_not_empty);
  // Removed users, deleted teams and projects, kept for audit, do not count.
  REQUIRE(t.h.call_void(t.h.service(), user_remove_cmd{user_ref{wile, {}}}).ok());
  REQUIRE(t.h.call_void(t.h.service(), remove).ok());
  CHECK(t.listed("acme") == nullptr);
  CHECK(t.h.call_void(t.h.service(), remove).code() == ErrorCode::not_found);
  t.h.restart();
  CHECK(t.listed("acme") == nullptr);
  CHECK(t.create("acme").ok());
}

TEST_CASE("N1 only the service administers tenants", "[tenant]") {
  tenants t;
  auto alice = t.h.add_user("alice");
  CHECK(t.h.call<entity_id>(t.h.as(alice), tenant_create_cmd{"acme"}).code() == ErrorCode::permission_denied);
  CHECK(t.h.call<tenant_list>(t.h.as(alice), tenant_list_cmd{}).code() == ErrorCode::permission_denied);
  CHECK(t.list().size() == 1);
}
