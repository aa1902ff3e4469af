#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

TEST_CASE("T1 the creator of a team is its manager", "[team]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto team = h.create_team(alice, "Data Science");
  auto view = h.show_team(alice, team);
  REQUIRE(view.ok());
  CHECK(view.value->info.name == "Data Science");
  REQUIRE(view.value->members.size() == 1);
  CHECK(view.value->members[0].user == alice);
  CHECK(view.value->members[0].username == "alice");
  CHECK(view.value->members[0].role == team_role::manager);
}

TEST_CASE("T1 team names have 1 to 128 characters and no control characters", "[team]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"", ""}).code() == ErrorCode::invalid_argument);
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{std::string(129, 'x'), ""}).code() ==
        ErrorCode::invalid_argument);
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"bad\nname", ""}).code() == ErrorCode::invalid_argument);
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"ok", std::string(513, 'i')}).code() ==
        ErrorCode::invalid_argument);
  // 128 characters of two bytes each are still 128 characters.
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += "\xc3\xa9";
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{accented, ""}).ok());
}

TEST_CASE("T5 manager invites by username with flags, the invitee sees them", "[team]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto inv = h.invite_to_team(alice, team, "bob", member_flags{true, false});
  auto inbox = h.inbox(bob);
  REQUIRE(inbox.ok());
  REQUIRE(inbox.value->invitations.size() == 1);
  CHECK(inbox.value->invitations[0].id == inv);
  CHECK(inbox.value->invitations[0].team_flags.view_datasets);
  CHECK_FALSE(inbox.value->invitations[0].team_flags.view_code);
}

TEST_CASE("T5 a second pending invitation answers already_invited, a member already_member", "[team]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto inv = h.invite_to_team(alice, team, "bob");
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "bob", {}, ""}).code() == ErrorCode::already_invited);
  REQUIRE(h.answer(bob, inv, answer_kind::accept).ok());
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "bob", {}, ""}).code() == ErrorCode::already_member);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "alice", {}, ""}).code() == ErrorCode::already_member);
}

TEST_CASE("T5 only the manager and admins invite, unknown invitees are not_found", "[team]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  h.add_user("carol");
  auto team = h.create_team(alice, "core");
  auto inv = h.invite_to_team(alice, team, "bob");
  REQUIRE(h.answer(bob, inv, answer_kind::accept).ok());
  CHECK(h.call<entity_id>(h.as(bob), team_invite_cmd{team, "carol", {}, ""}).code() == ErrorCode::permission_denied);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "nobody", {}, ""}).code() == ErrorCode::not_found);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team + 1000, "carol", {}, ""}).code() == ErrorCode::not_found);
}

TEST_CASE("T7 a member leaves, the manager cannot", "[team]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto inv = h.invite_to_team(alice, team, "bob");
  REQUIRE(h.answer(bob, inv, answer_kind::accept).ok());
  CHECK(h.call_void(h.as(alice), team_leave_cmd{team}).code() == ErrorCode::manager_cannot_leave);
  REQUIRE(h.call_void(h.as(bob), team_leave_cmd{team}).ok());
  auto view = h.show_team(alice, team);
  REQUIRE(view.ok());
  CHECK(view.value->members.size() == 1);
  SECTION("T7 the old invitation cannot bring them back") {
    CHECK(h.answer(bob, inv, answer_kind::accept).code() == ErrorCode::invitation_not_pending);
  }
  SECTION("T7 a new invitation can") {
    auto again = h.invite_to_team(alice, team, "bob");
    CHECK(h.answer(bob, again, answer_kind::accept).ok());
  }
}
