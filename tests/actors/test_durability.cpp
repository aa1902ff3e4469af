#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

TEST_CASE("C6 acknowledged changes are there after a restart, and ids are not reused", "[durability]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto inv = h.invite_to_team(alice, team, "bob", {true, true});
  REQUIRE(h.answer(bob, inv, answer_kind::accept).ok());
  auto project = h.create_project(alice, "P");
  REQUIRE(h.call_void(h.as(alice), grant_team_cmd{project, team, {{{"", "edit"}}, false, false}}).ok());

  h.restart();

  CHECK(*h.check(bob, project, "view_files").value);
  CHECK(h.show_team(alice, team).value->members.size() == 2);
  auto inbox = h.inbox(bob);
  REQUIRE(inbox.value->invitations.size() == 1);
  CHECK(inbox.value->invitations[0].status == invitation_status::accepted);
  CHECK(h.call<entity_id>(h.service(), register_user_cmd{"alice", "x@example.org", "", {}}).code() ==
        ErrorCode::already_exists);
  auto carol = h.add_user("carol");
  CHECK(carol > inbox.value->notifications.front().id);

  SECTION("a member who leaves after the restart loses access at once") {
    REQUIRE(h.call_void(h.as(bob), team_leave_cmd{team}).ok());
    CHECK_FALSE(*h.check(bob, project, "view_files").value);
  }
}

TEST_CASE("C6 a failed commit answers unavailable, changes nothing, and service resumes", "[durability]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto team = h.create_team(alice, "core");

  h.storage_faults().fail_next_commits(1);
  CHECK(h.call<entity_id>(h.service(), register_user_cmd{"bob", "bob@example.org", "", {}}).code() ==
        ErrorCode::unavailable);
  h.storage_faults().fail_next_commits(1);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "alice@example.org", {}, ""}).code() ==
        ErrorCode::already_member);  // refused before writing: the fault is still armed
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"second", ""}).code() == ErrorCode::unavailable);
  h.storage_faults().fail_next_commits(1);
  CHECK(h.call_void(h.as(alice), team_set_cmd{team, std::string("renamed"), {}, {}}).code() == ErrorCode::unavailable);

  // Nothing of the failed calls is there, before or after a restart.
  auto check_nothing_changed = [&] {
    auto list = h.call<team_list>(h.as(alice), team_list_cmd{});
    REQUIRE(list.ok());
    REQUIRE(list.value->teams.size() == 1);
    CHECK(list.value->teams[0].name == "core");
    CHECK(h.call<entity_id>(h.service(), register_user_cmd{"bob", "bob@example.org", "", {}}).ok());
  };
  check_nothing_changed();
  h.restart();
  auto list = h.call<team_list>(h.as(alice), team_list_cmd{});
  REQUIRE(list.ok());
  CHECK(list.value->teams.size() == 1);
  CHECK(h.call<entity_id>(h.as(alice), create_team_cmd{"second", ""}).ok());
}
