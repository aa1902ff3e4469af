// N2 and N3 in the actors, for teams: a team belongs to its tenant. Its
// calls reach only that tenant's users, a user of another tenant finds no
// such team, and the team lists of a user hold only their tenant's teams;
// anything of another tenant answers not_found, never permission_denied.
// Platform admins see every tenant.
#include <catch2/catch.hpp>

#include "support/two_tenants.hpp"

using namespace roster::testing;
using roster::ErrorCode;

TEST_CASE("N2 another tenant's team is not found, whatever its user asks of it", "[tenant][team]") {
  two_tenants s;
  CHECK(s.h.show_team(s.road, s.rockets).code() == ErrorCode::not_found);
  CHECK(s.h.call<entity_id>(s.h.as(s.road), team_invite_cmd{s.rockets, "road", {}, ""}).code() == ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.road), team_leave_cmd{s.rockets}).code() == ErrorCode::not_found);
  team_set_cmd rename{s.rockets, std::string("mine"), caf::none, caf::none};
  CHECK(s.h.call_void(s.h.as(s.road), rename).code() == ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.road), team_delete_cmd{s.rockets}).code() == ErrorCode::not_found);
  // Its own tenant's users and platform admins see it.
  CHECK(s.h.show_team(s.coyote, s.rockets).ok());
  CHECK(s.h.show_team(s.root, s.rockets).ok());
}

TEST_CASE("N2 N3 a team admits only its own tenant's users, by username, address or directly", "[tenant][team]") {
  two_tenants s;
  CHECK(s.h.call<entity_id>(s.h.as(s.wile), team_invite_cmd{s.rockets, "road", {}, ""}).code() == ErrorCode::not_found);
  CHECK(s.h.call<entity_id>(s.h.as(s.wile), team_invite_cmd{s.rockets, "road@example.org", {}, ""}).code() ==
        ErrorCode::not_found);
  team_set_cmd direct{s.rockets, caf::none, caf::none, admission::direct};
  REQUIRE(s.h.call_void(s.h.as(s.wile), direct).ok());
  CHECK(s.h.call_void(s.h.as(s.wile), team_add_cmd{s.rockets, user_ref{s.road, {}}, {}}).code() ==
        ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.wile), team_add_cmd{s.rockets, user_ref{s.coyote, {}}, {}}).ok());

  // An address nobody has yet may be invited; if it then signs up in
  // another tenant, the invitation leads nowhere.
  auto inv = s.h.call<entity_id>(s.h.as(s.wile), team_invite_cmd{s.rockets, "runner@example.org", {}, ""});
  REQUIRE(inv.ok());
  auto runner = s.add_user("runner", s.globex);
  CHECK(s.h.answer(runner, *inv.value, answer_kind::accept).code() == ErrorCode::not_found);
  auto shown = s.h.show_team(s.wile, s.rockets);
  REQUIRE(shown.ok());
  CHECK(shown.value->members.size() == 2);  // wile and coyote
}

TEST_CASE("N2 a user lists their own tenant's teams, a platform admin every tenant's", "[tenant][team]") {
  two_tenants s;
  auto roads = s.h.create_team(s.road, "roads");
  CHECK(s.teams_listed_by(s.wile) == std::vector<entity_id>{s.rockets});
  CHECK(s.teams_listed_by(s.coyote) == std::vector<entity_id>{s.rockets});
  CHECK(s.teams_listed_by(s.road) == std::vector<entity_id>{roads});
  CHECK(s.teams_listed_by(s.root) == std::vector<entity_id>{s.rockets, roads});
}

TEST_CASE("N2 a project grants only its own tenant's teams", "[tenant][team][project]") {
  two_tenants s;
  auto highway = s.h.create_project(s.road, "highway");
  project_access view{{level_spec{"", "view"}}, false, false, 0};
  CHECK(s.h.call_void(s.h.as(s.road), grant_team_cmd{highway, s.rockets, view}).code() == ErrorCode::not_found);
  auto launch = s.h.create_project(s.wile, "launch");
  CHECK(s.h.call_void(s.h.as(s.wile), grant_team_cmd{launch, s.rockets, view}).ok());
}

TEST_CASE("N2 another tenant's project is not found, and a project reaches another tenant's user by address alone",
          "[tenant][project]") {
  two_tenants s;
  auto launch = s.h.create_project(s.wile, "launch");
  CHECK(s.h.call<project_info>(s.h.as(s.road), project_show_cmd{launch}).code() == ErrorCode::not_found);
  CHECK(s.h.call<collaborator_list>(s.h.as(s.road), project_collaborators_cmd{launch}).code() == ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.road), project_delete_cmd{launch}).code() == ErrorCode::not_found);
  project_access view{{level_spec{"", "view"}}, false, false, 0};
  CHECK(s.h.call<entity_id>(s.h.as(s.wile), project_invite_cmd{launch, "road", view, ""}).code() ==
        ErrorCode::not_found);
  CHECK(s.h.call_void(s.h.as(s.wile), project_owner_cmd{launch, user_ref{s.road, {}}}).code() == ErrorCode::not_found);
  CHECK(s.h.call<project_info>(s.h.as(s.root), project_show_cmd{launch}).ok());
}

TEST_CASE("N3 a user of another tenant invited by address becomes a guest of that one project", "[tenant][project]") {
  two_tenants s;
  auto launch = s.h.create_project(s.wile, "launch");
  auto other = s.h.create_project(s.wile, "other");
  project_access view{{level_spec{"", "view"}}, false, false, 0};
  auto inv = s.h.call<entity_id>(s.h.as(s.wile), project_invite_cmd{launch, "road@example.org", view, ""});
  REQUIRE(inv.ok());
  REQUIRE(s.h.answer(s.road, *inv.value, answer_kind::accept).ok());

  // The guest sees the project and its collaborators, marked as a guest,
  // and P4 decides their access like anyone's; nothing else of the tenant.
  CHECK(s.h.call<project_info>(s.h.as(s.road), project_show_cmd{launch}).ok());
  auto listed = s.h.call<collaborator_list>(s.h.as(s.road), project_collaborators_cmd{launch});
  REQUIRE(listed.ok());
  REQUIRE(listed.value->entries.size() == 1);
  CHECK(listed.value->entries[0].subject == s.road);
  CHECK(listed.value->entries[0].guest);
  auto allowed = s.h.check(s.road, launch, "view_outputs");
  REQUIRE(allowed.ok());
  CHECK(*allowed.value);
  CHECK(s.h.call<project_info>(s.h.as(s.road), project_show_cmd{other}).code() == ErrorCode::not_found);
  CHECK(s.h.show_team(s.road, s.rockets).code() == ErrorCode::not_found);
  // Revoked, the guest is a stranger again.
  REQUIRE(
      s.h.call_void(s.h.as(s.wile), project_revoke_cmd{launch, grant_subject{false, no_entity, user_ref{s.road, {}}}})
          .ok());
  CHECK(s.h.call<project_info>(s.h.as(s.road), project_show_cmd{launch}).code() == ErrorCode::not_found);
}

TEST_CASE("N2 a user looks up only their own tenant's users, a platform admin every tenant's", "[tenant][user]") {
  two_tenants s;
  CHECK(s.h.call<user_profile>(s.h.as(s.wile), user_show_cmd{user_ref{s.coyote, {}}}).ok());
  CHECK(s.h.call<user_profile>(s.h.as(s.wile), user_show_cmd{user_ref{s.road, {}}}).code() == ErrorCode::not_found);
  CHECK(s.h.call<user_profile>(s.h.as(s.road), user_show_cmd{user_ref{{}, "wile"}}).code() == ErrorCode::not_found);
  CHECK(s.h.call<user_profile>(s.h.as(s.root), user_show_cmd{user_ref{s.road, {}}}).ok());
  CHECK(s.h.call<user_profile>(s.h.service(), user_show_cmd{user_ref{s.wile, {}}}).ok());
}

TEST_CASE("N2 a bulk invitation reaches only each target's tenant, and another tenant's targets are not found",
          "[tenant][invitation]") {
  two_tenants s;
  auto launch = s.h.create_project(s.wile, "launch");
  auto roads = s.h.create_team(s.road, "roads");
  bulk_invite_cmd cmd;
  cmd.targets = {{target_kind::team, s.rockets}, {target_kind::project, launch}, {target_kind::team, roads}};
  cmd.invitees = {"coyote", "road", "road@example.org"};
  cmd.access = project_access{{level_spec{"", "view"}}, false, false, 0};
  auto bulk = s.h.call<bulk_invite_result>(s.h.as(s.wile), cmd);
  REQUIRE(bulk.ok());
  REQUIRE(bulk.value->results.size() == 9);
  auto invited = [&](std::size_t i) { return !bulk.value->results[i].failed; };
  auto not_found = [&](std::size_t i) {
    return bulk.value->results[i].failed && bulk.value->results[i].code == ErrorCode::not_found;
  };
  // rockets: its tenant's coyote only.
  CHECK(invited(0));
  CHECK(not_found(1));
  CHECK(not_found(2));
  // launch: coyote, and road by address alone (N3).
  CHECK(invited(3));
  CHECK(not_found(4));
  CHECK(invited(5));
  // roads, globex's team, does not exist for wile.
  for (std::size_t i = 6; i < 9; ++i) CHECK(not_found(i));
}

TEST_CASE("N2 N3 a user's project lookup holds their tenant's projects they reach and the ones they are a guest of",
          "[tenant][project][query]") {
  two_tenants s;
  auto launch = s.h.create_project(s.wile, "launch");
  auto highway = s.h.create_project(s.road, "highway");
  auto lookup = [&](entity_id user) {
    auto page = s.h.call<project_page>(lookup_projects_cmd{user_ref{user, {}}, "", 100, no_entity});
    REQUIRE(page.ok());
    std::vector<entity_id> ids;
    for (const auto& p : page.value->projects) ids.push_back(p.id);
    return ids;
  };
  CHECK(lookup(s.wile) == std::vector<entity_id>{launch});
  CHECK(lookup(s.road) == std::vector<entity_id>{highway});
  CHECK(lookup(s.coyote).empty());
  project_access view{{level_spec{"", "view"}}, false, false, 0};
  auto inv = s.h.call<entity_id>(s.h.as(s.wile), project_invite_cmd{launch, "road@example.org", view, ""});
  REQUIRE(inv.ok());
  REQUIRE(s.h.answer(s.road, *inv.value, answer_kind::accept).ok());
  CHECK(lookup(s.road) == std::vector<entity_id>{launch, highway});
  CHECK(lookup(s.root) == std::vector<entity_id>{launch, highway});
}
