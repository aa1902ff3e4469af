#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {
project_access level(const std::string& name, bool upload = false, bool download = false) {
  return project_access{{level_spec{"", name}}, upload, download};
}

struct project_scene {
  actor_harness h;
  entity_id alice = h.add_user("alice");
  entity_id bob = h.add_user("bob");
  entity_id carol = h.add_user("carol");
  entity_id team = h.create_team(alice, "core");
  entity_id project = h.create_project(alice, "P");

  void join_team(entity_id user, const std::string& name, member_flags flags = {true, true}) {
    auto inv = h.invite_to_team(alice, team, name, flags);
    REQUIRE(h.answer(user, inv, answer_kind::accept).ok());
  }
  void grant_team(const std::string& lvl) {
    REQUIRE(h.call_void(h.as(alice), grant_team_cmd{project, team, level(lvl)}).ok());
  }
  void invite_user(entity_id user, const std::string& name, const std::string& lvl) {
    auto inv = h.call<entity_id>(h.as(alice), project_invite_cmd{project, name, level(lvl), ""});
    REQUIRE(inv.ok());
    REQUIRE(h.answer(user, *inv.value, answer_kind::accept).ok());
  }
  bool allowed(entity_id user, const std::string& action) {
    auto out = h.check(user, project, action);
    REQUIRE(out.ok());
    return *out.value;
  }
};
}  // namespace

TEST_CASE("P1 the owner of a new project has every action, others none", "[project]") {
  project_scene s;
  CHECK(s.allowed(s.alice, "remove_collaborators"));
  CHECK(s.allowed(s.alice, "upload"));
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
}

TEST_CASE("P1 an unknown schema or an empty name is refused", "[project]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  CHECK(h.call<entity_id>(h.as(alice), create_project_cmd{"x", project_kind::project, "nope", {}}).code() ==
        ErrorCode::invalid_argument);
  CHECK(h.call<entity_id>(h.as(alice), create_project_cmd{"", project_kind::project, "simple", {}}).code() ==
        ErrorCode::invalid_argument);
}

TEST_CASE("P2 a team granted at a level gives its members that level", "[project]") {
  project_scene s;
  s.join_team(s.bob, "bob");
  s.grant_team("edit");
  CHECK(s.allowed(s.bob, "view_files"));
  CHECK(s.allowed(s.bob, "launch_runs"));
  CHECK_FALSE(s.allowed(s.bob, "invite_own"));
  CHECK_FALSE(s.allowed(s.carol, "view_outputs"));
}

TEST_CASE("P2 an invited user gets the level once they accept, not before", "[project]") {
  project_scene s;
  auto inv = s.h.call<entity_id>(s.h.as(s.alice), project_invite_cmd{s.project, "bob", level("view"), ""});
  REQUIRE(inv.ok());
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
  REQUIRE(s.h.answer(s.bob, *inv.value, answer_kind::accept).ok());
  CHECK(s.allowed(s.bob, "view_outputs"));
  CHECK_FALSE(s.allowed(s.bob, "view_files"));
}

TEST_CASE("P2 a member who joins after the grant gets access, one who leaves loses it", "[project]") {
  project_scene s;
  s.grant_team("view");
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
  s.join_team(s.bob, "bob");
  CHECK(s.allowed(s.bob, "view_outputs"));
  REQUIRE(s.h.call_void(s.h.as(s.bob), team_leave_cmd{s.team}).ok());
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
}

TEST_CASE("P4 removed users and unknown users have no access, the owner has the top level", "[project]") {
  project_scene s;
  CHECK(s.allowed(s.alice, "invite_own"));
  CHECK_FALSE(s.allowed(987654, "view_outputs"));
}

TEST_CASE("P4 highest: the highest level among direct and team grants wins", "[project]") {
  project_scene s;
  s.join_team(s.bob, "bob");
  s.grant_team("edit");
  s.invite_user(s.bob, "bob", "view");
  CHECK(s.allowed(s.bob, "edit_content"));
}

TEST_CASE("P4 team grants on a dataset count only for members with view_datasets", "[project]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto carol = h.add_user("carol");
  auto team = h.create_team(alice, "core");
  REQUIRE(h.answer(bob, h.invite_to_team(alice, team, "bob", {true, false}), answer_kind::accept).ok());
  REQUIRE(h.answer(carol, h.invite_to_team(alice, team, "carol", {false, true}), answer_kind::accept).ok());
  auto dataset = h.create_project(alice, "D", project_kind::dataset);
  auto code = h.create_project(alice, "C", project_kind::code);
  REQUIRE(h.call_void(h.as(alice), grant_team_cmd{dataset, team, level("view")}).ok());
  REQUIRE(h.call_void(h.as(alice), grant_team_cmd{code, team, level("view")}).ok());
  CHECK(*h.check(bob, dataset, "view_outputs").value);
  CHECK_FALSE(*h.check(carol, dataset, "view_outputs").value);
  CHECK_FALSE(*h.check(bob, code, "view_outputs").value);
  CHECK(*h.check(carol, code, "view_outputs").value);
}

TEST_CASE("P4 a read-only user cannot be invited above view", "[project]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  h.add_user("reader", platform_role::read_only);
  auto project = h.create_project(alice, "P");
  CHECK(h.call<entity_id>(h.as(alice), project_invite_cmd{project, "reader", level("edit"), ""}).code() ==
        ErrorCode::exceeds_platform_role);
  CHECK(h.call<entity_id>(h.as(alice), project_invite_cmd{project, "reader", level("view"), ""}).ok());
}

TEST_CASE("C1 check answers allowed or denied, and refuses unknown actions and projects", "[check]") {
  project_scene s;
  CHECK(s.h.check(s.alice, s.project, "no_such_action").code() == ErrorCode::invalid_argument);
  CHECK(s.h.check(s.alice, s.project + 5000, "view_outputs").code() == ErrorCode::not_found);
  CHECK(s.allowed(s.alice, "view_outputs"));
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
}

TEST_CASE("P5 an edit collaborator invites at view and edit but not own, a viewer invites nobody", "[project]") {
  project_scene s;
  s.invite_user(s.bob, "bob", "edit");
  CHECK(s.h.call<entity_id>(s.h.as(s.bob), project_invite_cmd{s.project, "carol", level("own"), ""}).code() ==
        ErrorCode::permission_denied);
  auto inv = s.h.call<entity_id>(s.h.as(s.bob), project_invite_cmd{s.project, "carol", level("edit"), ""});
  REQUIRE(inv.ok());
  REQUIRE(s.h.answer(s.carol, *inv.value, answer_kind::accept).ok());
  auto dave = s.h.add_user("dave");
  (void)dave;
  auto viewer = s.h.add_user("viewer");
  s.invite_user(viewer, "viewer", "view");
  CHECK(s.h.call<entity_id>(s.h.as(viewer), project_invite_cmd{s.project, "dave", level("view"), ""}).code() ==
        ErrorCode::permission_denied);
}

TEST_CASE("P3 a custom schema is validated, and its levels and actions rule the project", "[project]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  const std::string lab = R"({"categories": [
      {"name": "lab", "levels": [{"name": "reader", "actions": ["read_samples"]},
                                 {"name": "writer", "actions": ["write_samples"]}]},
      {"name": "notes", "levels": [{"name": "author", "actions": ["write_notes"]}]}]})";
  auto created = h.call<entity_id>(h.as(alice), create_project_cmd{"Lab", project_kind::project, lab, {}});
  REQUIRE(created.ok());
  auto project = *created.value;
  CHECK(h.check(alice, project, "write_notes").value == true);  // the owner holds every top level
  auto inv = h.call<entity_id>(h.as(alice),
                               project_invite_cmd{project, "bob", {{level_spec{"lab", "reader"}}, false, false}, ""});
  REQUIRE(inv.ok());
  REQUIRE(h.answer(bob, *inv.value, answer_kind::accept).ok());
  CHECK(h.check(bob, project, "read_samples").value == true);
  CHECK(h.check(bob, project, "write_samples").value == false);
  CHECK(h.check(bob, project, "write_notes").value == false);
  CHECK(h.check(bob, project, "view_outputs").code() == ErrorCode::invalid_argument);  // not in this schema
  // bob may not grant: the schema names neither invite_ nor manage_team actions.
  CHECK(h.call<entity_id>(h.as(bob),
                          project_invite_cmd{project, "alice", {{level_spec{"lab", "reader"}}, false, false}, ""})
            .code() == ErrorCode::permission_denied);
  h.restart();
  CHECK(h.check(bob, project, "read_samples").value == true);

  auto refused = [&](const std::string& schema, const std::string& reason) {
    auto out = h.call<entity_id>(h.as(alice), create_project_cmd{"x", project_kind::project, schema, {}});
    REQUIRE(out.code() == ErrorCode::invalid_argument);
    CHECK(out.error->message.find(reason) != std::string::npos);
  };
  refused("nope", "well-formed JSON");
  refused(R"({"categories": []})", "1 to 8 categories");
  refused(R"({"categories": [{"name": "Lab", "levels": [{"name": "a", "actions": []}]}]})", "category name");
  refused(R"({"categories": [{"name": "lab", "levels": []}]})", "1 to 8 levels");
  refused(
      R"({"categories": [{"name": "lab", "levels": [{"name": "a", "actions": ["x"]}, {"name": "b", "actions": ["x"]}]}]})",
      "given twice");
  refused(R"({"categories": [{"name": "lab", "levels": [{"name": "a", "actions": ["upload"]}]}]})", "given twice");
  refused(R"({"categories": [{"name": "lab", "levels": [{"name": "a"}]}]})", "\"actions\" list");
}
