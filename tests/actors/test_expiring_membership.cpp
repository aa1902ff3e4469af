// P9 in the actors, for team memberships: a membership that ends at an
// instant. Checks through the team's grants deny from that instant on, the
// team counts the member as gone at once, and then its timer removes the
// member, the projects' copies follow and the member is told. As in
// test_expiring_access.cpp, the harness's clock is the server's time and
// the team's timer runs on real time: expiries are a few hundred
// milliseconds ahead and the tests move the clock there.
#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"
#include "support/eventually.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {

struct scene {
  actor_harness h;
  entity_id alice = h.add_user("alice");
  entity_id bob = h.add_user("bob");
  entity_id team = h.create_team(alice, "core");
  entity_id project = h.create_project(alice, "P");
  millis start = h.time().now();

  scene() {
    project_access edit{{level_spec{"", "edit"}}, false, false, 0};
    REQUIRE(h.call_void(h.as(alice), grant_team_cmd{project, team, edit}).ok());
  }

  // bob joins by accepting an invitation whose membership ends at `expires`.
  void bob_joins_until(millis expires) {
    auto inv = h.call<entity_id>(h.as(alice), team_invite_cmd{team, "bob", {}, "", expires});
    REQUIRE(inv.ok());
    REQUIRE(h.answer(bob, *inv.value, answer_kind::accept).ok());
  }
  bool allowed(entity_id user, const std::string& action) {
    auto out = h.check(user, project, action);
    REQUIRE(out.ok());
    return *out.value;
  }
  std::optional<bool> published(entity_id user, const std::string& action) {
    return h.shared().checks.try_check(user, project, action, h.shared().facts);
  }
  const team_member* listed(entity_id user) {
    shown = h.show_team(alice, team);
    REQUIRE(shown.ok());
    for (const auto& m : shown.value->members)
      if (m.user == user) return &m;
    return nullptr;
  }
  bool told_access_ended(entity_id user) {
    auto inbox = h.inbox(user);
    if (!inbox.ok()) return false;
    for (const auto& n : inbox.value->notifications)
      if (n.kind == notification_kind::access_ended && n.subject == team) return true;
    return false;
  }
  outcome<team_view> shown;
};

}  // namespace

TEST_CASE("P9 a team membership ends exactly at its expiry, then the team removes the member and tells them",
          "[team][expiry]") {
  scene s;
  auto ends = s.start + 400;
  s.bob_joins_until(ends);
  CHECK(s.allowed(s.bob, "edit_content"));

  // The member list and the explanation say when it ends.
  auto* member = s.listed(s.bob);
  REQUIRE(member != nullptr);
  CHECK(member->expires == ends);
  auto explained = s.h.call<explanation>(explain_cmd{user_ref{s.bob, {}}, s.project});
  REQUIRE(explained.ok());
  REQUIRE(explained.value->grants.size() == 1);
  CHECK(explained.value->grants[0].access.expires == ends);

  // One millisecond before: a member. At the instant: not, for the checks
  // (by the project and by the published index) and for the team alike,
  // before anything was removed.
  s.h.time().advance(399);
  CHECK(s.allowed(s.bob, "edit_content"));
  s.h.time().advance(1);
  CHECK_FALSE(s.allowed(s.bob, "edit_content"));
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
  CHECK(s.published(s.bob, "view_outputs") != std::optional<bool>(true));
  CHECK(s.listed(s.bob) == nullptr);
  CHECK(s.h.call_void(s.h.as(s.bob), team_leave_cmd{s.team}).code() == ErrorCode::not_found);

  // Then, on the team's timer: the project's copy loses bob, and bob is told.
  CHECK(eventually([&] {
    auto now = s.h.call<explanation>(explain_cmd{user_ref{s.bob, {}}, s.project});
    return now.ok() && now.value->grants.empty();
  }));
  CHECK(eventually([&] { return s.told_access_ended(s.bob); }));
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));

  // He may be invited again, and then is a member without end.
  s.bob_joins_until(0);
  CHECK(s.allowed(s.bob, "edit_content"));
  REQUIRE(s.listed(s.bob) != nullptr);
  CHECK(s.listed(s.bob)->expires == 0);
}

TEST_CASE("P9 a member added directly until an instant stays one until then, across a restart", "[team][expiry]") {
  scene s;
  team_set_cmd direct{s.team, caf::none, caf::none, admission::direct};
  REQUIRE(s.h.call_void(s.h.as(s.alice), direct).ok());
  auto ends = s.start + 60'000;
  REQUIRE(s.h.call_void(s.h.as(s.alice), team_add_cmd{s.team, user_ref{s.bob, {}}, {}, ends}).ok());
  s.h.restart();
  CHECK(s.allowed(s.bob, "edit_content"));
  REQUIRE(s.listed(s.bob) != nullptr);
  CHECK(s.listed(s.bob)->expires == ends);
  s.h.time().advance(60'000);
  CHECK_FALSE(s.allowed(s.bob, "edit_content"));
  CHECK(s.listed(s.bob) == nullptr);
}

TEST_CASE("P9 an admin whose membership ended manages the team no more", "[team][expiry]") {
  scene s;
  s.bob_joins_until(s.start + 60'000);
  REQUIRE(s.h.call_void(s.h.as(s.alice), team_admin_cmd{s.team, user_ref{s.bob, {}}, true}).ok());
  team_set_cmd rename{s.team, std::string("renamed"), caf::none, caf::none};
  REQUIRE(s.h.call_void(s.h.as(s.bob), rename).ok());
  s.h.time().advance(60'000);
  rename.name = std::string("again");
  CHECK(s.h.call_void(s.h.as(s.bob), rename).code() == ErrorCode::permission_denied);
}

TEST_CASE("P9 a member who becomes the team's manager keeps the membership without end", "[team][expiry]") {
  scene s;
  auto ends = s.start + 60'000;
  s.bob_joins_until(ends);
  REQUIRE(s.h.call_void(s.h.as(s.alice), team_transfer_cmd{s.team, user_ref{s.bob, {}}}).ok());
  REQUIRE(s.listed(s.bob) != nullptr);
  CHECK(s.listed(s.bob)->role == team_role::manager);
  CHECK(s.listed(s.bob)->expires == 0);
  // The projects' copies heard of it: the team's grant counts on for him.
  s.h.time().advance(60'000);
  CHECK(s.allowed(s.bob, "edit_content"));
  CHECK(s.listed(s.bob) != nullptr);
}

TEST_CASE("P9 a membership that would end before it begins is refused, and one that ended cannot be taken",
          "[team][expiry]") {
  scene s;
  auto past = s.h.call<entity_id>(s.h.as(s.alice), team_invite_cmd{s.team, "bob", {}, "", s.start});
  CHECK(past.code() == ErrorCode::invalid_argument);
  team_set_cmd direct{s.team, caf::none, caf::none, admission::direct};
  REQUIRE(s.h.call_void(s.h.as(s.alice), direct).ok());
  CHECK(s.h.call_void(s.h.as(s.alice), team_add_cmd{s.team, user_ref{s.bob, {}}, {}, s.start - 1}).code() ==
        ErrorCode::invalid_argument);
  CHECK(s.listed(s.bob) == nullptr);

  auto inv = s.h.call<entity_id>(s.h.as(s.alice), team_invite_cmd{s.team, "bob", {}, "", s.start + 100});
  REQUIRE(inv.ok());
  s.h.time().advance(100);
  CHECK(s.h.answer(s.bob, *inv.value, answer_kind::accept).code() == ErrorCode::invitation_expired);
  CHECK(s.listed(s.bob) == nullptr);
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
}
