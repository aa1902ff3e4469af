// P9 in the actors: access that ends at an instant. Checks deny from that
// instant on, before the project gets to removing anything; then the grant
// is removed, its holder told and the activity log written. The harness's
// clock is the server's time; the project's timer runs on real time, so
// the tests give expiries a few hundred milliseconds ahead and move the
// clock there.
#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"
#include "support/eventually.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {

project_access level(const std::string& name, millis expires = 0) {
  return project_access{{level_spec{"", name}}, false, false, expires};
}

struct scene {
  actor_harness h;
  entity_id alice = h.add_user("alice");
  entity_id bob = h.add_user("bob");
  entity_id project = h.create_project(alice, "P");
  millis start = h.time().now();

  outcome<entity_id> invite(const std::string& name, const project_access& access) {
    return h.call<entity_id>(h.as(alice), project_invite_cmd{project, name, access, ""});
  }
  bool allowed(entity_id user, const std::string& action) {
    auto out = h.check(user, project, action);
    REQUIRE(out.ok());
    return *out.value;
  }
  // What the check index says, when it answers: it must never allow what
  // the rules deny.
  std::optional<bool> published(entity_id user, const std::string& action) {
    return h.shared().checks.try_check(user, project, action, h.shared().facts);
  }
  std::vector<collaborator> collaborators() {
    auto out = h.call<collaborator_list>(h.as(alice), project_collaborators_cmd{project});
    REQUIRE(out.ok());
    return out.value->entries;
  }
  std::vector<activity_event> activity() {
    auto out = h.call<activity_list>(h.as(alice), project_activity_cmd{project, 50});
    REQUIRE(out.ok());
    return out.value->events;
  }
};

bool any_event(const std::vector<activity_event>& events, const std::string& part) {
  for (const auto& e : events)
    if (e.what.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("P9 a grant ends exactly at its expiry, then the project removes it, tells its holder and logs it",
          "[project][expiry]") {
  scene s;
  auto ends = s.start + 400;
  auto inv = s.invite("bob", level("edit", ends));
  REQUIRE(inv.ok());
  REQUIRE(s.h.answer(s.bob, *inv.value, answer_kind::accept).ok());
  CHECK(s.allowed(s.bob, "edit_content"));

  // The collaborator list and the explanation say when it ends.
  auto listed = s.collaborators();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].access.expires == ends);
  auto explained = s.h.call<explanation>(explain_cmd{user_ref{s.bob, {}}, s.project});
  REQUIRE(explained.ok());
  REQUIRE(explained.value->grants.size() == 1);
  CHECK(explained.value->grants[0].access.expires == ends);
  CHECK(explained.value->grants[0].counted);

  // One millisecond before: still allowed. At the instant: denied, by the
  // actor and by the published index alike, though nothing was removed.
  s.h.time().advance(399);
  CHECK(s.allowed(s.bob, "edit_content"));
  s.h.time().advance(1);
  CHECK_FALSE(s.allowed(s.bob, "edit_content"));
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
  CHECK(s.published(s.bob, "edit_content") != std::optional<bool>(true));
  auto at_end = s.h.call<explanation>(explain_cmd{user_ref{s.bob, {}}, s.project});
  REQUIRE(at_end.ok());
  CHECK(at_end.value->access.levels.empty());

  // Then, on the project's timer: the grant is gone, bob is told (his inbox
  // hears of it after the removal is durable, as of any change no call of
  // his made), the log says so.
  REQUIRE(eventually([&] { return s.collaborators().empty(); }));
  CHECK(eventually([&] {
    auto inbox = s.h.inbox(s.bob);
    if (!inbox.ok()) return false;
    for (const auto& n : inbox.value->notifications)
      if (n.kind == notification_kind::access_ended) return true;
    return false;
  }));
  CHECK(any_event(s.activity(), "the grant of user bob ended: it expired"));
  CHECK(any_event(s.activity(), "until "));
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
  CHECK(s.published(s.bob, "view_outputs") != std::optional<bool>(true));
}

TEST_CASE("P9 access that ends keeps ending after a restart", "[project][expiry]") {
  scene s;
  auto ends = s.start + 60'000;
  auto inv = s.invite("bob", level("view", ends));
  REQUIRE(inv.ok());
  REQUIRE(s.h.answer(s.bob, *inv.value, answer_kind::accept).ok());
  s.h.restart();
  CHECK(s.allowed(s.bob, "view_outputs"));
  REQUIRE(s.collaborators().at(0).access.expires == ends);
  s.h.time().advance(60'000);
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
}

TEST_CASE("P9 a team's grant ends at its expiry, and what else the member holds counts on", "[project][expiry]") {
  scene s;
  auto team = s.h.create_team(s.alice, "core");
  auto joined = s.h.call<entity_id>(s.h.as(s.alice), team_invite_cmd{team, "bob", {}, ""});
  REQUIRE(joined.ok());
  REQUIRE(s.h.answer(s.bob, *joined.value, answer_kind::accept).ok());
  REQUIRE(s.h.call_void(s.h.as(s.alice), grant_team_cmd{s.project, team, level("edit", s.start + 500)}).ok());
  auto own = s.invite("bob", level("view"));
  REQUIRE(own.ok());
  REQUIRE(s.h.answer(s.bob, *own.value, answer_kind::accept).ok());
  CHECK(s.allowed(s.bob, "edit_content"));
  s.h.time().advance(500);
  CHECK_FALSE(s.allowed(s.bob, "edit_content"));
  CHECK(s.allowed(s.bob, "view_outputs"));
  REQUIRE(eventually([&] { return s.collaborators().size() == 1; }));
  CHECK(s.collaborators().at(0).kind == collaborator_kind::user);
  CHECK(any_event(s.activity(), "ended: it expired"));
}

TEST_CASE("P9 an expiry that is not in the future is refused, and an invitation whose access ended cannot be taken",
          "[project][expiry]") {
  scene s;
  auto past = s.invite("bob", level("view", s.start - 1));
  CHECK(past.code() == ErrorCode::invalid_argument);
  auto now = s.invite("bob", level("view", s.start));
  CHECK(now.code() == ErrorCode::invalid_argument);
  auto team = s.h.create_team(s.alice, "core");
  CHECK(s.h.call_void(s.h.as(s.alice), grant_team_cmd{s.project, team, level("view", s.start)}).code() ==
        ErrorCode::invalid_argument);
  CHECK(s.collaborators().empty());

  auto inv = s.invite("bob", level("view", s.start + 100));
  REQUIRE(inv.ok());
  s.h.time().advance(100);
  auto late = s.h.answer(s.bob, *inv.value, answer_kind::accept);
  CHECK(late.code() == ErrorCode::invitation_expired);
  CHECK_FALSE(s.allowed(s.bob, "view_outputs"));
}
