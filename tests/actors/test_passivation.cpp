// Idle actors leave memory and come back from storage on their next use
// (DESIGN "Durability"; actors/support/passivation.hpp), losing nothing (C5, C6).
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "support/actor_harness.hpp"
#include "support/eventually.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {

settings quick_passivation() {
  settings config;
  config.passivate_after = 100;  // ms: a sweep every 50 ms
  return config;
}

std::size_t active(const actor_harness& h) { return h.shared().census.active_total(); }

}  // namespace

TEST_CASE("Passivation: idle actors stop, and their next use finds every acknowledged change", "[passivation]") {
  actor_harness h{quick_passivation()};
  auto [alice, bob, team, project, inv] = h.team_with_project();
  REQUIRE(*h.check(bob, project, "view_files").value);
  REQUIRE(active(h) >= 2);

  REQUIRE(eventually([&] { return active(h) == 0; }));

  // Each use activates the actor again from storage.
  CHECK(*h.check(bob, project, "view_files").value);
  auto shown = h.show_team(alice, team);
  REQUIRE(shown.ok());
  CHECK(shown.value->members.size() == 2);
  auto inbox = h.inbox(bob);
  REQUIRE(inbox.ok());
  REQUIRE(inbox.value->invitations.size() == 1);
  CHECK(inbox.value->invitations[0].status == roster::actors::invitation_status::accepted);

  SECTION("a change to reactivated actors reaches the project's copy at once (C5)") {
    REQUIRE(eventually([&] { return active(h) == 0; }));
    REQUIRE(h.call_void(h.as(bob), team_leave_cmd{team}).ok());
    CHECK_FALSE(*h.check(bob, project, "view_files").value);
  }
}

TEST_CASE("Passivation: a project answering checks from its view stays in memory", "[passivation]") {
  actor_harness h{quick_passivation()};
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto project = h.create_project(alice, "P");
  auto inv =
      h.call<entity_id>(h.as(alice), project_invite_cmd{project, "bob", {{level_spec{"", "edit"}}, false, false}, ""});
  REQUIRE(inv.ok());
  REQUIRE(h.answer(bob, *inv.value, answer_kind::accept).ok());
  REQUIRE(*h.check(bob, project, "view_files").value);

  // Checks read from the view on this thread never reach an actor; for six
  // idle periods the project must stay readable all the same.
  auto& shared = h.shared();
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(600);
  std::size_t answered = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (shared.checks.try_check(bob, project, "view_files", shared.facts) == std::optional<bool>(true)) ++answered;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(answered > 50);
  CHECK(active(h) >= 1);
  CHECK(shared.checks.try_check(bob, project, "view_files", shared.facts) == std::optional<bool>(true));

  // Left alone, it goes.
  REQUIRE(eventually([&] { return active(h) == 0; }));
  CHECK_FALSE(shared.checks.try_check(bob, project, "view_files", shared.facts).has_value());
  CHECK(*h.check(bob, project, "view_files").value);
}

TEST_CASE("Passivation: an actor whose change is not yet durable stays until it is", "[passivation]") {
  actor_harness h{quick_passivation()};
  auto alice = h.add_user("alice");
  auto team = h.create_team(alice, "core");
  REQUIRE(eventually([&] { return active(h) == 0; }));

  h.storage_faults().hold_commits();
  h.send(h.as(alice), team_set_cmd{team, std::string("renamed"), {}, {}});
  REQUIRE(eventually([&] { return active(h) == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // eight sweeps
  CHECK(active(h) == 1);

  h.storage_faults().release_commits();
  REQUIRE(eventually([&] { return active(h) == 0; }));
  auto shown = h.show_team(alice, team);
  REQUIRE(shown.ok());
  CHECK(shown.value->info.name == "renamed");
}

// An actor coming back keeps only its open invitations in memory (the
// invitation book); the settled ones stay in storage and must still answer
// as they did: listed with their status (T2, P2), refused when answered
// again (I2), with the same precedence of errors.
TEST_CASE("Passivation: settled invitations answer from storage after activation (I2, T2, P2)", "[passivation]") {
  actor_harness h{quick_passivation()};
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto carol = h.add_user("carol");
  auto dave = h.add_user("dave");
  auto team = h.create_team(alice, "core");
  auto to_bob = h.invite_to_team(alice, team, "bob");
  auto to_carol = h.invite_to_team(alice, team, "carol");
  auto to_dave = h.invite_to_team(alice, team, "dave");
  REQUIRE(h.answer(bob, to_bob, answer_kind::accept).ok());
  REQUIRE(h.answer(carol, to_carol, answer_kind::reject).ok());
  auto project = h.create_project(alice, "P");
  auto offer = project_access{{level_spec{"", "view"}}, false, false};
  auto carol_to_project = h.call<entity_id>(h.as(alice), project_invite_cmd{project, "carol", offer, ""});
  auto dave_to_project = h.call<entity_id>(h.as(alice), project_invite_cmd{project, "dave", offer, ""});
  REQUIRE(carol_to_project.ok());
  REQUIRE(dave_to_project.ok());
  REQUIRE(h.answer(carol, *carol_to_project.value, answer_kind::reject).ok());

  REQUIRE(eventually([&] { return active(h) == 0; }));

  auto shown = h.show_team(alice, team);
  REQUIRE(shown.ok());
  auto& invitations = shown.value->invitations;
  REQUIRE(invitations.size() == 3);
  CHECK(invitations[0].id == to_bob);
  CHECK(invitations[0].status == invitation_status::accepted);
  CHECK(invitations[1].id == to_carol);
  CHECK(invitations[1].status == invitation_status::rejected);
  CHECK(invitations[2].id == to_dave);
  CHECK(invitations[2].status == invitation_status::pending);

  REQUIRE(eventually([&] { return active(h) == 0; }));
  // Outsiders learn nothing (I5); the inviter, a party, is refused.
  CHECK(h.answer(carol, to_bob, answer_kind::cancel).code() == ErrorCode::not_found);
  CHECK(h.answer(alice, to_bob, answer_kind::accept).code() == ErrorCode::permission_denied);
  CHECK(h.answer(bob, to_bob, answer_kind::accept).code() == ErrorCode::invitation_not_pending);
  CHECK(h.answer(carol, to_carol, answer_kind::accept).code() == ErrorCode::invitation_not_pending);
  CHECK(h.answer(alice, to_carol, answer_kind::cancel).code() == ErrorCode::invitation_not_pending);
  CHECK(h.answer(bob, to_dave, answer_kind::accept).code() == ErrorCode::not_found);
  CHECK(h.answer(alice, to_dave, answer_kind::accept).code() == ErrorCode::permission_denied);
  CHECK(h.answer(dave, *carol_to_project.value, answer_kind::accept).code() == ErrorCode::not_found);
  CHECK(h.answer(alice, *carol_to_project.value, answer_kind::accept).code() == ErrorCode::permission_denied);
  CHECK(h.answer(carol, *dave_to_project.value + 1000, answer_kind::accept).code() == ErrorCode::not_found);
  REQUIRE(h.answer(dave, to_dave, answer_kind::accept).ok());
  shown = h.show_team(alice, team);
  REQUIRE(shown.ok());
  CHECK(shown.value->members.size() == 3);
  CHECK(shown.value->invitations.size() == 3);
  CHECK(shown.value->invitations[2].status == invitation_status::accepted);

  REQUIRE(eventually([&] { return active(h) == 0; }));
  auto list = h.call<collaborator_list>(h.as(alice), project_collaborators_cmd{project});
  REQUIRE(list.ok());
  auto& entries = list.value->entries;
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].name == "carol");
  CHECK(entries[0].status == invitation_status::rejected);
  CHECK(entries[1].name == "dave");
  CHECK(entries[1].status == invitation_status::pending);
  CHECK(h.answer(carol, *carol_to_project.value, answer_kind::accept).code() == ErrorCode::invitation_not_pending);
  REQUIRE(h.answer(dave, *dave_to_project.value, answer_kind::accept).ok());
  CHECK(*h.check(dave, project, "view_outputs").value);
}

// The directory asks a sweep's idle actors a slice a turn, so that calls
// pass between slices; every slice must be asked in the same sweep, not one
// slice a sweep.
TEST_CASE("Passivation: a sweep with more idle actors than one turn asks stops them all", "[passivation]") {
  settings config;
  config.passivate_after = 2000;       // ms: a sweep every second
  config.idle_questions_per_turn = 1;  // a slice of one actor
  actor_harness h{config};
  constexpr int users = 40;
  std::vector<entity_id> ids;
  for (int i = 0; i < users; ++i) ids.push_back(h.add_user("user" + std::to_string(i)));
  for (auto id : ids) REQUIRE(h.inbox(id).ok());  // each user's actor is active
  REQUIRE(active(h) >= users);
  // The first slice stops in the sweep that finds them idle ...
  REQUIRE(eventually([&] { return active(h) < users; }, std::chrono::seconds(10)));
  // ... and the others right after it: within the next sweep at the latest
  // (should their activations have straddled two), not one a sweep.
  CHECK(eventually([&] { return active(h) == 0; }, std::chrono::milliseconds(2500)));
  CHECK(h.inbox(ids.front()).ok());
}

// Actors stop every few milliseconds here, so calls keep meeting actors that
// are stopping: what reaches the directory meanwhile waits for the answer,
// what was sent directly is handled first, and nothing is lost or reordered
// (an invitee reads the invitation they were just sent; a member's access
// follows each acknowledged join and leave, C5).
TEST_CASE("Passivation: calls racing actors that stop lose nothing and keep their order", "[passivation]") {
  settings config;
  config.passivate_after = 2;  // ms: a sweep every millisecond
  actor_harness h{config};
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto project = h.create_project(alice, "P");
  REQUIRE(h.call_void(h.as(alice), grant_team_cmd{project, team, {{level_spec{"", "view"}}, false, false}}).ok());

  std::size_t stopped_seen = 0;
  for (int round = 0; round < 300; ++round) {
    auto inv = h.invite_to_team(alice, team, "bob");
    auto inbox = h.inbox(bob);
    REQUIRE(inbox.ok());
    REQUIRE_FALSE(inbox.value->invitations.empty());
    CHECK(inbox.value->invitations.front().id == inv);
    // Idle for about as long as it takes the sweep to stop them: the next
    // call lands before, during or after their stop.
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + round * 397 % 3000));
    if (active(h) < 3) ++stopped_seen;  // bob, the team and the project were all active
    REQUIRE(h.answer(bob, inv, answer_kind::accept).ok());
    CHECK(*h.check(bob, project, "view_outputs").value);
    REQUIRE(h.call_void(h.as(bob), team_leave_cmd{team}).ok());
    CHECK_FALSE(*h.check(bob, project, "view_outputs").value);
  }
  CHECK(stopped_seen > 0);  // the race was run, not only the calls
}
