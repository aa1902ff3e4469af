#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

TEST_CASE("U1 a registered user gets a fresh id, username and e-mail are unique", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  CHECK(alice != bob);

  SECTION("the username is compared case-insensitively") {
    auto dup = h.call<entity_id>(h.service(), register_user_cmd{"ALICE", "other@example.org", "", {}});
    CHECK(dup.code() == ErrorCode::already_exists);
  }
  SECTION("the e-mail is normalised to lower case before comparing") {
    auto dup = h.call<entity_id>(h.service(), register_user_cmd{"alice2", "Alice@Example.org", "", {}});
    CHECK(dup.code() == ErrorCode::already_exists);
  }
}

TEST_CASE("U1 malformed usernames and e-mails are refused and change nothing", "[user]") {
  actor_harness h;
  auto reg = [&](std::string username, std::string email) {
    return h.call<entity_id>(h.service(), register_user_cmd{username, email, "", {}});
  };
  CHECK(reg("ab", "ab@example.org").code() == ErrorCode::invalid_argument);
  CHECK(reg(std::string(65, 'a'), "long@example.org").code() == ErrorCode::invalid_argument);
  CHECK(reg("with space", "space@example.org").code() == ErrorCode::invalid_argument);
  CHECK(reg("carol", "not-an-email").code() == ErrorCode::invalid_argument);
  CHECK(reg("carol", "carol@nodot").code() == ErrorCode::invalid_argument);
  CHECK(reg("carol", std::string(250, 'c') + "@example.org").code() == ErrorCode::invalid_argument);
  // None of the refusals reserved anything.
  CHECK(reg("carol", "carol@example.org").ok());
}

TEST_CASE("U1 only the service or a platform admin adds users", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto admin = h.add_user("root", platform_role::admin);
  auto by_alice = h.call<entity_id>(h.as(alice), register_user_cmd{"mallory", "m@example.org", "", {}});
  CHECK(by_alice.code() == ErrorCode::permission_denied);
  CHECK(h.call<entity_id>(h.as(admin), register_user_cmd{"dave", "d@example.org", "", {}}).ok());
}

namespace {
project_access at(const std::string& level) { return project_access{{level_spec{"", level}}, true, true}; }
}  // namespace

TEST_CASE("U2 a platform admin has every right on every team and project", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto root = h.add_user("root", platform_role::admin);
  h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto project = h.create_project(alice, "P");
  CHECK(*h.check(root, project, "remove_collaborators").value);
  CHECK(h.call<entity_id>(h.as(root), team_invite_cmd{team, "bob", {}, ""}).ok());
  CHECK(h.call<entity_id>(h.as(root), project_invite_cmd{project, "bob", at("own"), ""}).ok());
}

TEST_CASE("U2 only admins change platform roles, read-only users are capped at view at once", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto root = h.add_user("root", platform_role::admin);
  auto project = h.create_project(alice, "P");
  auto inv = h.call<entity_id>(h.as(alice), project_invite_cmd{project, "bob", at("edit"), ""});
  REQUIRE(h.answer(bob, *inv.value, answer_kind::accept).ok());
  REQUIRE(*h.check(bob, project, "edit_content").value);
  REQUIRE(*h.check(bob, project, "upload").value);

  CHECK(h.call_void(h.as(alice), user_role_cmd{h.as(bob), platform_role::read_only}).code() ==
        ErrorCode::permission_denied);
  REQUIRE(h.call_void(h.as(root), user_role_cmd{h.as(bob), platform_role::read_only}).ok());
  CHECK(h.call<user_profile>(h.as(alice), user_show_cmd{h.as(bob)}).value->role == platform_role::read_only);
  CHECK_FALSE(*h.check(bob, project, "edit_content").value);
  CHECK(*h.check(bob, project, "view_outputs").value);
  CHECK_FALSE(*h.check(bob, project, "upload").value);
  CHECK(*h.check(bob, project, "download").value);

  SECTION("and the role survives a restart") {
    h.restart();
    CHECK_FALSE(*h.check(bob, project, "edit_content").value);
    CHECK(*h.check(bob, project, "view_outputs").value);
  }
  SECTION("made standard again, the grant applies in full") {
    REQUIRE(h.call_void(h.service(), user_role_cmd{h.as(bob), platform_role::standard}).ok());
    CHECK(*h.check(bob, project, "edit_content").value);
  }
}

TEST_CASE("U3 with team creation for team managers, only flagged users and admins create teams", "[user]") {
  settings config;
  config.who_creates_teams = team_creation::team_managers;
  actor_harness h(config);
  auto alice = h.add_user("alice");
  auto root = h.add_user("root", platform_role::admin);
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"t", ""}).code() == ErrorCode::permission_denied);
  CHECK(h.call<entity_id>(h.as(root), create_team_cmd{"t", ""}).ok());
  CHECK(h.call_void(h.as(alice), user_team_manager_cmd{h.as(alice), true}).code() == ErrorCode::permission_denied);
  REQUIRE(h.call_void(h.as(root), user_team_manager_cmd{h.as(alice), true}).ok());
  CHECK(h.call<user_profile>(h.as(alice), user_show_cmd{h.as(alice)}).value->team_manager);
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"t2", ""}).ok());
}

TEST_CASE("U3 by default everyone creates teams", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"t", ""}).ok());
}

TEST_CASE("U4 removal is refused with owns_projects while the user owns one, naming it", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto project = h.create_project(alice, "P");
  CHECK(h.call_void(h.as(bob), user_remove_cmd{user_ref{alice, {}}}).code() == ErrorCode::permission_denied);
  auto refused = h.call_void(h.service(), user_remove_cmd{user_ref{alice, {}}});
  REQUIRE(refused.code() == ErrorCode::owns_projects);
  CHECK(refused.error->message.find(std::to_string(project)) != std::string::npos);
  CHECK(h.check(alice, project, "view_outputs").value == true);  // nothing changed
  REQUIRE(h.call_void(h.as(alice), project_owner_cmd{project, user_ref{bob, {}}}).ok());
  REQUIRE(h.call_void(h.service(), user_remove_cmd{user_ref{no_entity, "alice"}}).ok());
  CHECK(h.call_void(h.service(), user_remove_cmd{user_ref{no_entity, "nobody"}}).code() == ErrorCode::not_found);
}

TEST_CASE("U4 a removed user is gone from teams, grants and invitations, and can act no more", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto carol = h.add_user("carol");
  auto team = h.create_team(alice, "core");
  auto bobs_team = h.create_team(bob, "bob's");
  REQUIRE(h.answer(carol, h.invite_to_team(bob, bobs_team, "carol"), answer_kind::accept).ok());
  REQUIRE(h.answer(bob, h.invite_to_team(alice, team, "bob"), answer_kind::accept).ok());
  auto project = h.create_project(alice, "P");
  auto inv =
      h.call<entity_id>(h.as(alice), project_invite_cmd{project, "bob", {{level_spec{"", "edit"}}, false, false}, ""});
  REQUIRE(inv.ok());
  REQUIRE(h.answer(bob, *inv.value, answer_kind::accept).ok());
  REQUIRE(h.call_void(h.as(alice), grant_team_cmd{project, team, {{level_spec{"", "view"}}, false, false}}).ok());
  auto other = h.create_team(alice, "other");
  auto received = h.invite_to_team(alice, other, "bob");
  auto sent =
      h.call<entity_id>(h.as(bob), project_invite_cmd{project, "carol", {{level_spec{"", "view"}}, false, false}, ""});
  REQUIRE(sent.ok());
  REQUIRE(h.check(bob, project, "launch_runs").value == true);

  REQUIRE(h.call_void(h.service(), user_remove_cmd{user_ref{bob, {}}}).ok());
  CHECK(h.check(bob, project, "view_outputs").value == false);
  CHECK(h.call<entity_id>(h.as(bob), create_team_cmd{"x", ""}).code() == ErrorCode::unauthenticated);
  auto core = h.show_team(alice, team);
  REQUIRE(core.ok());
  CHECK(core.value->members.size() == 1);
  // bob managed a team: the role passed on to carol, its only other member.
  auto his = h.show_team(carol, bobs_team);
  REQUIRE(his.ok());
  REQUIRE(his.value->members.size() == 1);
  CHECK(his.value->members[0].user == carol);
  CHECK(his.value->members[0].role == team_role::manager);
  auto collaborators = h.call<collaborator_list>(h.as(alice), project_collaborators_cmd{project});
  REQUIRE(collaborators.ok());
  for (auto& c : collaborators.value->entries) CHECK(c.subject != bob);
  CHECK(h.answer(carol, *sent.value, answer_kind::accept).code() == ErrorCode::invitation_cancelled);
  auto other_team = h.show_team(alice, other);
  REQUIRE(other_team.ok());
  REQUIRE(other_team.value->invitations.size() == 1);
  CHECK(other_team.value->invitations[0].id == received);
  CHECK(other_team.value->invitations[0].status == invitation_status::cancelled);
  h.restart();
  CHECK(h.check(bob, project, "view_outputs").value == false);
  CHECK(h.call<entity_id>(h.as(bob), create_team_cmd{"x", ""}).code() == ErrorCode::unauthenticated);
  // History stays: the profile is still there, marked removed.
  auto profile = h.call<user_profile>(h.service(), user_show_cmd{user_ref{bob, {}}});
  REQUIRE(profile.ok());
  CHECK(profile.value->removed);
}
