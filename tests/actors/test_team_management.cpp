#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {

struct team_scene {
  actor_harness h;
  entity_id alice = h.add_user("alice");  // manager
  entity_id bob = h.add_user("bob");
  entity_id carol = h.add_user("carol");
  entity_id dave = h.add_user("dave");
  entity_id team = h.create_team(alice, "core");

  void join(entity_id user, const std::string& name, member_flags flags = {true, true}) {
    REQUIRE(h.answer(user, h.invite_to_team(alice, team, name, flags), answer_kind::accept).ok());
  }
  team_member member(entity_id user) {
    auto view = h.show_team(alice, team);
    REQUIRE(view.ok());
    for (auto& m : view.value->members)
      if (m.user == user) return m;
    FAIL("not a member");
    return {};
  }
  bool is_member(entity_id user) {
    auto view = h.show_team(alice, team);
    REQUIRE(view.ok());
    for (auto& m : view.value->members)
      if (m.user == user) return true;
    return false;
  }
  outcome<caf::unit_t> set_admin(entity_id acting, entity_id user, bool on) {
    return h.call_void(h.as(acting), team_admin_cmd{team, h.as(user), on});
  }
  outcome<caf::unit_t> remove(entity_id acting, entity_id user) {
    return h.call_void(h.as(acting), team_remove_cmd{team, h.as(user)});
  }
  notification_kind last_notification(entity_id user) {
    auto inbox = h.inbox(user);
    REQUIRE(inbox.ok());
    REQUIRE_FALSE(inbox.value->notifications.empty());
    return inbox.value->notifications.front().kind;
  }
};

team_set_cmd rename(entity_id team, std::string name) {
  team_set_cmd cmd;
  cmd.team = team;
  cmd.name = std::move(name);
  return cmd;
}

}  // namespace

TEST_CASE("T2 every active user lists all teams with their member counts", "[team]") {
  team_scene s;
  s.join(s.bob, "bob");
  auto other = s.h.create_team(s.carol, "other");
  auto list = s.h.call<team_list>(s.h.as(s.dave), team_list_cmd{});
  REQUIRE(list.ok());
  REQUIRE(list.value->teams.size() == 2);
  CHECK(list.value->teams[0].id == s.team);
  CHECK(list.value->teams[0].members == 2);
  CHECK(list.value->teams[1].id == other);
  CHECK(list.value->teams[1].members == 1);
  // ...and sees every team's members with role and flags.
  auto view = s.h.show_team(s.dave, s.team);
  REQUIRE(view.ok());
  CHECK(view.value->members.size() == 2);
  CHECK(view.value->invitations.empty());  // invitations are for the team's managers
}

TEST_CASE("T3 admins invite, remove and rename, members do not", "[team]") {
  team_scene s;
  s.join(s.bob, "bob");
  s.join(s.carol, "carol");
  CHECK(s.set_admin(s.carol, s.bob, true).code() == ErrorCode::permission_denied);
  REQUIRE(s.set_admin(s.alice, s.bob, true).ok());
  CHECK(s.member(s.bob).role == team_role::admin);
  CHECK(s.last_notification(s.bob) == notification_kind::role_changed);

  CHECK(s.h.call<entity_id>(s.h.as(s.bob), team_invite_cmd{s.team, "dave", {}, ""}).ok());
  CHECK(s.h.call_void(s.h.as(s.carol), rename(s.team, "nope")).code() == ErrorCode::permission_denied);
  REQUIRE(s.h.call_void(s.h.as(s.bob), rename(s.team, "Core Team")).ok());
  CHECK(s.h.show_team(s.alice, s.team).value->info.name == "Core Team");
  CHECK(s.h.call_void(s.h.as(s.bob), rename(s.team, "")).code() == ErrorCode::invalid_argument);

  REQUIRE(s.remove(s.bob, s.carol).ok());
  CHECK_FALSE(s.is_member(s.carol));
  CHECK(s.last_notification(s.carol) == notification_kind::removed_from_team);
}

TEST_CASE("T3 nobody but the manager removes or demotes the manager", "[team]") {
  team_scene s;
  s.join(s.bob, "bob");
  REQUIRE(s.set_admin(s.alice, s.bob, true).ok());
  CHECK(s.remove(s.bob, s.alice).code() == ErrorCode::permission_denied);
  CHECK(s.set_admin(s.bob, s.alice, false).code() == ErrorCode::permission_denied);
  CHECK(s.member(s.alice).role == team_role::manager);
  // An admin may be made a member again by the manager.
  REQUIRE(s.set_admin(s.alice, s.bob, false).ok());
  CHECK(s.member(s.bob).role == team_role::member);
}

TEST_CASE("T4 a member's flags never change in place", "[team]") {
  team_scene s;
  s.join(s.bob, "bob", {true, false});
  auto changed = s.h.call_void(s.h.as(s.alice), team_set_flags_cmd{s.team, s.h.as(s.bob), {true, true}});
  CHECK(changed.code() == ErrorCode::immutable_permissions);
  CHECK_FALSE(s.member(s.bob).flags.view_code);
  // Remove and invite again with the new flags.
  REQUIRE(s.remove(s.alice, s.bob).ok());
  s.join(s.bob, "bob", {true, true});
  CHECK(s.member(s.bob).flags.view_code);
}

TEST_CASE("T6 with direct admission, managers add users at once and they are notified", "[team]") {
  team_scene s;
  auto add = [&](entity_id user) {
    return s.h.call_void(s.h.as(s.alice), team_add_cmd{s.team, s.h.as(user), {true, false}});
  };
  CHECK(add(s.bob).code() == ErrorCode::permission_denied);  // admission is `invite` by default
  team_set_cmd direct;
  direct.team = s.team;
  direct.admission_mode = admission::direct;
  REQUIRE(s.h.call_void(s.h.as(s.alice), direct).ok());
  auto pending = s.h.invite_to_team(s.alice, s.team, "bob");
  REQUIRE(add(s.bob).ok());
  CHECK(s.is_member(s.bob));
  CHECK(s.member(s.bob).flags.view_datasets);
  CHECK(s.last_notification(s.bob) == notification_kind::added_to_team);
  CHECK(add(s.bob).code() == ErrorCode::already_member);
  // The invitation that became pointless was cancelled.
  CHECK(s.h.answer(s.bob, pending, answer_kind::accept).code() == ErrorCode::invitation_cancelled);
  CHECK(s.h.call_void(s.h.as(s.carol), team_add_cmd{s.team, s.h.as(s.dave), {}}).code() ==
        ErrorCode::permission_denied);
}

TEST_CASE("T8 the manager hands the role to a member and becomes an admin", "[team]") {
  team_scene s;
  s.join(s.bob, "bob");
  CHECK(s.h.call_void(s.h.as(s.bob), team_transfer_cmd{s.team, s.h.as(s.bob)}).code() == ErrorCode::permission_denied);
  CHECK(s.h.call_void(s.h.as(s.alice), team_transfer_cmd{s.team, s.h.as(s.carol)}).code() == ErrorCode::not_found);
  REQUIRE(s.h.call_void(s.h.as(s.alice), team_transfer_cmd{s.team, s.h.as(s.bob)}).ok());
  CHECK(s.member(s.bob).role == team_role::manager);
  CHECK(s.member(s.alice).role == team_role::admin);
  // Now the old manager may leave, and the new one may not.
  CHECK(s.h.call_void(s.h.as(s.bob), team_leave_cmd{s.team}).code() == ErrorCode::manager_cannot_leave);
  REQUIRE(s.h.call_void(s.h.as(s.alice), team_leave_cmd{s.team}).ok());
}

TEST_CASE("T9 deleting a team removes its grants, cancels its invitations and notifies its members", "[team]") {
  team_scene s;
  s.join(s.bob, "bob");
  auto pending = s.h.invite_to_team(s.alice, s.team, "carol");
  auto project = s.h.create_project(s.alice, "P");
  REQUIRE(s.h.call_void(s.h.as(s.alice), grant_team_cmd{project, s.team, {{{"", "edit"}}, false, false}}).ok());
  REQUIRE(*s.h.check(s.bob, project, "view_files").value);

  CHECK(s.h.call_void(s.h.as(s.bob), team_delete_cmd{s.team}).code() == ErrorCode::permission_denied);
  REQUIRE(s.h.call_void(s.h.as(s.alice), team_delete_cmd{s.team}).ok());

  CHECK_FALSE(*s.h.check(s.bob, project, "view_files").value);
  CHECK(s.h.show_team(s.alice, s.team).code() == ErrorCode::not_found);
  CHECK(s.h.call<team_list>(s.h.as(s.alice), team_list_cmd{}).value->teams.empty());
  // The deletion cancelled it, as carol's inbox shows (I5).
  CHECK(s.h.answer(s.carol, pending, answer_kind::accept).code() == ErrorCode::invitation_cancelled);
  CHECK(s.last_notification(s.bob) == notification_kind::team_deleted);
  auto carol_inbox = s.h.inbox(s.carol);
  CHECK(carol_inbox.value->invitations.at(0).status == invitation_status::cancelled);

  SECTION("and it stays deleted after a restart") {
    s.h.restart();
    CHECK_FALSE(*s.h.check(s.bob, project, "view_files").value);
    CHECK(s.h.show_team(s.alice, s.team).code() == ErrorCode::not_found);
  }
}
