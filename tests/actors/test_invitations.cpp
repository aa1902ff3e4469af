#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {
struct team_scene {
  actor_harness h;
  entity_id alice = h.add_user("alice");
  entity_id bob = h.add_user("bob");
  entity_id carol = h.add_user("carol");
  entity_id team = h.create_team(alice, "core");
  entity_id inv = h.invite_to_team(alice, team, "bob");

  invitation_status status_seen_by_bob() {
    auto inbox = h.inbox(bob);
    REQUIRE(inbox.ok());
    for (auto& i : inbox.value->invitations)
      if (i.id == inv) return i.status;
    FAIL("invitation missing from the invitee's inbox");
    return invitation_status::pending;
  }
};
}  // namespace

TEST_CASE("I2 only the invitee accepts or rejects, and only while pending", "[invitation]") {
  team_scene s;
  CHECK(s.h.answer(s.carol, s.inv, answer_kind::accept).code() == ErrorCode::not_found);  // not party to it
  CHECK(s.h.answer(s.alice, s.inv, answer_kind::accept).code() == ErrorCode::permission_denied);
  CHECK(s.status_seen_by_bob() == invitation_status::pending);
  REQUIRE(s.h.answer(s.bob, s.inv, answer_kind::accept).ok());
  CHECK(s.h.answer(s.bob, s.inv, answer_kind::reject).code() == ErrorCode::invitation_not_pending);
  CHECK(s.h.answer(s.bob, 999999, answer_kind::accept).code() == ErrorCode::not_found);
}

TEST_CASE("I3 accepting joins at once with the flags offered, the inviter is notified", "[invitation]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto inv = h.invite_to_team(alice, team, "bob", member_flags{false, true});
  REQUIRE(h.answer(bob, inv, answer_kind::accept).ok());
  auto view = h.show_team(bob, team);
  REQUIRE(view.ok());
  REQUIRE(view.value->members.size() == 2);
  auto& member = view.value->members[1].user == bob ? view.value->members[1] : view.value->members[0];
  CHECK(member.user == bob);
  CHECK(member.role == team_role::member);
  CHECK_FALSE(member.flags.view_datasets);
  CHECK(member.flags.view_code);
  auto inbox = h.inbox(alice);
  REQUIRE(inbox.ok());
  REQUIRE_FALSE(inbox.value->notifications.empty());
  CHECK(inbox.value->notifications[0].kind == notification_kind::invitation_accepted);
  CHECK(inbox.value->notifications[0].invitation == inv);
}

TEST_CASE("I4 rejecting joins nothing, marks the notification read, and allows a new invitation", "[invitation]") {
  team_scene s;
  auto before = s.h.inbox(s.bob);
  REQUIRE(before.ok());
  CHECK(before.value->unread == 1);
  REQUIRE(s.h.answer(s.bob, s.inv, answer_kind::reject).ok());
  CHECK(s.status_seen_by_bob() == invitation_status::rejected);
  auto after = s.h.inbox(s.bob);
  CHECK(after.value->unread == 0);
  CHECK(s.h.show_team(s.alice, s.team).value->members.size() == 1);
  auto alice_inbox = s.h.inbox(s.alice);
  CHECK(alice_inbox.value->notifications.at(0).kind == notification_kind::invitation_rejected);
  CHECK(s.h.call<entity_id>(s.h.as(s.alice), team_invite_cmd{s.team, "bob", {}, ""}).ok());
}

TEST_CASE("I5 a cancelled invitation stays visible, marked cancelled, and cannot be accepted", "[invitation]") {
  team_scene s;
  CHECK(s.h.answer(s.carol, s.inv, answer_kind::cancel).code() == ErrorCode::not_found);  // not party to it
  CHECK(s.h.answer(s.bob, s.inv, answer_kind::cancel).code() == ErrorCode::permission_denied);
  REQUIRE(s.h.answer(s.alice, s.inv, answer_kind::cancel).ok());
  CHECK(s.status_seen_by_bob() == invitation_status::cancelled);
  CHECK(s.h.answer(s.bob, s.inv, answer_kind::accept).code() == ErrorCode::invitation_cancelled);
  auto inbox = s.h.inbox(s.bob);
  CHECK(inbox.value->notifications.at(0).kind == notification_kind::invitation_cancelled);
}

TEST_CASE("I6 past its expiry an invitation reads expired and cannot be accepted", "[invitation]") {
  team_scene s;
  s.h.time().advance(14LL * 24 * 3600 * 1000 + 1);
  CHECK(s.status_seen_by_bob() == invitation_status::expired);
  CHECK(s.h.answer(s.bob, s.inv, answer_kind::accept).code() == ErrorCode::invitation_expired);
  // An expired invitation no longer blocks a new one (T5).
  CHECK(s.h.call<entity_id>(s.h.as(s.alice), team_invite_cmd{s.team, "bob", {}, ""}).ok());
}

TEST_CASE("I9 the inbox lists newest first, counts unread and filters by status", "[invitation][inbox]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto t1 = h.create_team(alice, "one");
  auto t2 = h.create_team(alice, "two");
  auto t3 = h.create_team(alice, "three");
  auto i1 = h.invite_to_team(alice, t1, "bob");
  auto i2 = h.invite_to_team(alice, t2, "bob");
  auto i3 = h.invite_to_team(alice, t3, "bob");
  REQUIRE(h.answer(bob, i2, answer_kind::accept).ok());

  auto all = h.inbox(bob);
  REQUIRE(all.ok());
  CHECK(all.value->unread == 3);
  REQUIRE(all.value->invitations.size() == 3);
  CHECK(all.value->invitations[0].id == i3);
  CHECK(all.value->invitations[2].id == i1);

  inbox_cmd pending;
  pending.filter_by_status = true;
  pending.status = invitation_status::pending;
  auto only_pending = h.inbox(bob, pending);
  REQUIRE(only_pending.value->invitations.size() == 2);

  // Pages of two entries, invitations and notifications together: each
  // entry once, newest first.
  inbox_cmd page;
  page.limit = 2;
  std::vector<entity_id> invitations, notifications;
  for (int pages = 0; pages < 20; ++pages) {
    auto got = h.inbox(bob, page);
    REQUIRE(got.ok());
    CHECK(got.value->invitations.size() + got.value->notifications.size() <= 2);
    for (const auto& inv : got.value->invitations) invitations.push_back(inv.id);
    for (const auto& note : got.value->notifications) notifications.push_back(note.id);
    if (got.value->next == no_entity) break;
    page.after = got.value->next;
  }
  CHECK(invitations == std::vector<entity_id>{i3, i2, i1});
  std::vector<entity_id> all_notifications;
  for (const auto& note : all.value->notifications) all_notifications.push_back(note.id);
  CHECK(notifications == all_notifications);
}

TEST_CASE("I7 remind: a new notification, one more reminder, the expiry pushed out, once an hour", "[invitation]") {
  team_scene s;
  auto remind = [&](entity_id acting) { return s.h.answer(acting, s.inv, answer_kind::remind); };
  REQUIRE(remind(s.alice).ok());  // the invitation itself is no reminder
  CHECK(remind(s.alice).code() == ErrorCode::too_soon);
  s.h.time().advance(59LL * 60 * 1000);
  CHECK(remind(s.alice).code() == ErrorCode::too_soon);
  s.h.time().advance(13LL * 24 * 3600 * 1000);  // a day before it would expire
  CHECK(remind(s.carol).code() == ErrorCode::not_found);
  REQUIRE(remind(s.alice).ok());
  CHECK(remind(s.alice).code() == ErrorCode::too_soon);
  auto inbox = s.h.inbox(s.bob);
  REQUIRE(inbox.ok());
  CHECK(inbox.value->notifications.at(0).kind == notification_kind::reminded);
  CHECK(inbox.value->invitations.at(0).reminders == 2);
  s.h.time().advance(2LL * 24 * 3600 * 1000);  // past the first expiry, not the pushed one
  CHECK(s.status_seen_by_bob() == invitation_status::pending);
  REQUIRE(s.h.answer(s.bob, s.inv, answer_kind::accept).ok());
  CHECK(remind(s.alice).code() == ErrorCode::invitation_not_pending);
}

TEST_CASE("I9 notifications are unread until marked read, one or all", "[invitation][inbox]") {
  team_scene s;
  auto t2 = s.h.create_team(s.alice, "two");
  s.h.invite_to_team(s.alice, t2, "bob");
  auto inbox = s.h.inbox(s.bob);
  REQUIRE(inbox.value->unread == 2);
  auto first = inbox.value->notifications.back().id;
  REQUIRE(s.h.call_void(s.h.as(s.bob), mark_read_cmd{first, false}).ok());
  CHECK(s.h.inbox(s.bob).value->unread == 1);
  CHECK(s.h.call_void(s.h.as(s.bob), mark_read_cmd{999999, false}).code() == ErrorCode::not_found);
  REQUIRE(s.h.call_void(s.h.as(s.bob), mark_read_cmd{no_entity, true}).ok());
  CHECK(s.h.inbox(s.bob).value->unread == 0);
  s.h.restart();
  CHECK(s.h.inbox(s.bob).value->unread == 0);
}

TEST_CASE("U5 invitations to an address wait for it to sign up, then are the new user's", "[invitation]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto team = h.create_team(alice, "core");
  auto project = h.create_project(alice, "P");
  auto to_team = h.call<entity_id>(h.as(alice), team_invite_cmd{team, "Dave@Example.org", {true, false}, "welcome"});
  REQUIRE(to_team.ok());
  auto to_project = h.call<entity_id>(
      h.as(alice), project_invite_cmd{project, "dave@example.org", {{level_spec{"", "edit"}}, false, false}, ""});
  REQUIRE(to_project.ok());
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "dave@example.org", {}, ""}).code() ==
        ErrorCode::already_invited);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "not an@address", {}, ""}).code() ==
        ErrorCode::invalid_argument);
  auto shown = h.show_team(alice, team);
  REQUIRE(shown.ok());
  REQUIRE(shown.value->invitations.size() == 1);
  CHECK(shown.value->invitations[0].invitee == no_entity);
  CHECK(shown.value->invitations[0].invitee_email == "dave@example.org");

  h.restart();                     // the waiting survives a restart
  auto dave = h.add_user("dave");  // harness address: dave@example.org
  auto inbox = h.inbox(dave);
  REQUIRE(inbox.ok());
  REQUIRE(inbox.value->invitations.size() == 2);
  CHECK(inbox.value->unread == 2);
  // A second user cannot take dave's invitation.
  auto eve = h.add_user("eve");
  CHECK(h.answer(eve, *to_team.value, answer_kind::accept).code() == ErrorCode::not_found);
  REQUIRE(h.answer(dave, *to_team.value, answer_kind::accept).ok());
  REQUIRE(h.answer(dave, *to_project.value, answer_kind::accept).ok());
  CHECK(h.check(dave, project, "launch_runs").value == true);
  auto members = h.show_team(alice, team);
  REQUIRE(members.ok());
  CHECK(members.value->members.size() == 2);
}

TEST_CASE("U5 an invitation to an address that belongs to a user goes to that user", "[invitation]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto inv = h.call<entity_id>(h.as(alice), team_invite_cmd{team, "BOB@example.org", {}, ""});
  REQUIRE(inv.ok());
  auto inbox = h.inbox(bob);
  REQUIRE(inbox.ok());
  REQUIRE(inbox.value->invitations.size() == 1);
  CHECK(inbox.value->invitations[0].invitee == bob);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "bob", {}, ""}).code() == ErrorCode::already_invited);
}

TEST_CASE("I8 a bulk invitation answers one result per (target, invitee), failures undo nothing", "[invitation]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto carol = h.add_user("carol");
  auto team = h.create_team(alice, "core");
  auto project = h.create_project(alice, "P");
  auto foreign = h.create_team(carol, "not alice's");
  bulk_invite_cmd cmd;
  cmd.targets = {{target_kind::team, team}, {target_kind::project, project}, {target_kind::team, foreign}};
  cmd.invitees = {"bob", "ghost", "new@example.org"};
  cmd.team_flags = {true, true};
  cmd.access = project_access{{level_spec{"", "view"}}, false, false};
  cmd.message = "join us";
  auto out = h.call<bulk_invite_result>(h.as(alice), cmd);
  REQUIRE(out.ok());
  auto& r = out.value->results;
  REQUIRE(r.size() == 9);
  CHECK((r[0].target.id == team && r[0].invitee == "bob" && !r[0].failed));
  CHECK((r[1].invitee == "ghost" && r[1].failed && r[1].code == ErrorCode::not_found));
  CHECK((r[2].invitee == "new@example.org" && !r[2].failed));
  CHECK((r[3].target.id == project && !r[3].failed));
  CHECK((r[6].target.id == foreign && r[6].failed && r[6].code == ErrorCode::permission_denied));
  auto inbox = h.inbox(bob);
  REQUIRE(inbox.ok());
  CHECK(inbox.value->invitations.size() == 2);
  CHECK(inbox.value->invitations[0].message == "join us");
  REQUIRE(h.answer(bob, r[3].invitation, answer_kind::accept).ok());
  CHECK(h.check(bob, project, "view_outputs").value == true);

  bulk_invite_cmd too_many;
  too_many.targets = {{target_kind::team, team}};
  too_many.invitees.assign(1001, "bob");
  CHECK(h.call<bulk_invite_result>(h.as(alice), too_many).code() == ErrorCode::invalid_argument);
}

TEST_CASE("I1 an invitation carries target, inviter, invitee, access, message, times, status and reminders",
          "[invitation]") {
  settings config;
  config.invitation_ttl = 3LL * 24 * 3600 * 1000;  // a server setting: 3 days here, 14 by default
  actor_harness h(config);
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  auto team = h.create_team(alice, "core");
  auto project = h.create_project(alice, "P");
  auto to_team = h.call<entity_id>(h.as(alice), team_invite_cmd{team, "bob", {true, false}, "join us"});
  REQUIRE(to_team.ok());
  auto to_project =
      h.call<entity_id>(h.as(alice), project_invite_cmd{project, "bob", {{level_spec{"", "edit"}}, false, true}, ""});
  REQUIRE(to_project.ok());
  auto inbox = h.inbox(bob);
  REQUIRE(inbox.ok());
  REQUIRE(inbox.value->invitations.size() == 2);
  const auto& p = inbox.value->invitations[0];  // newest first
  const auto& t = inbox.value->invitations[1];
  CHECK(t.id == *to_team.value);
  CHECK(t.kind == target_kind::team);
  CHECK(t.target == team);
  CHECK(t.inviter == alice);
  CHECK(t.invitee == bob);
  CHECK(t.team_flags.view_datasets);
  CHECK_FALSE(t.team_flags.view_code);
  CHECK(t.message == "join us");
  CHECK(t.created == h.time().now());
  CHECK(t.expires == t.created + config.invitation_ttl);
  CHECK(t.status == invitation_status::pending);
  CHECK(t.reminders == 0);
  CHECK(p.kind == target_kind::project);
  CHECK(p.target == project);
  REQUIRE(p.project.levels.size() == 1);
  CHECK(p.project.levels[0].level == "edit");
  CHECK(p.project.download);
  CHECK_FALSE(p.project.upload);
  CHECK(h.call<entity_id>(h.as(alice), team_invite_cmd{team, "carol", {}, std::string(2049, 'x')}).code() ==
        ErrorCode::invalid_argument);  // messages have at most 2,048 bytes
}
