// What a hostile or careless caller tries through the RPC surface (issue:
// hardening): rights that must not leak, text that must not poison
// listings, limits that are refused rather than bent, and what removed
// users and outsiders may learn.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "roster/client.hpp"
#include "roster/utf8.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

// A fresh rosterd and a client connected to it as the service.
struct scene {
  temp_dir dir;
  server_process server{dir.path() + "/data"};
  Client client = start(server);

  static Client start(server_process& server) {
    server.start();
    auto client = Client::connect(server.address(), server.token());
    REQUIRE(client.ok());
    return std::move(client).value();
  }

  Id user(const std::string& name, PlatformRole role = PlatformRole::standard) {
    auto id = client.add_user(name, name + "@example.org", "", role);
    REQUIRE(id.ok());
    return *id;
  }
  Session as(const std::string& name) { return client.act_as(UserRef(name)); }
  bool check(const std::string& name, Id project, const std::string& action) {
    auto allowed = client.check(UserRef(name), project, action);
    REQUIRE(allowed.ok());
    return *allowed;
  }
  // `invitee` joins `project` at `access` through an accepted invitation.
  void join(const std::string& inviter, Id project, const std::string& invitee, const ProjectAccess& access) {
    auto invitation = as(inviter).invite_to_project(project, invitee, access);
    REQUIRE(invitation.ok());
    REQUIRE(as(invitee).accept_invitation(*invitation).ok());
  }
};

ProjectAccess at(const std::string& level, bool upload = false, bool download = false) {
  return ProjectAccess{{Level{"", level}}, upload, download};
}

template <class T>
ErrorCode code_of(const Result<T>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error().code;
}

}  // namespace

TEST_CASE("U2 a read-only user cannot own a project, and an owner made read-only only views", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("rita", PlatformRole::read_only);
  CHECK(code_of(s.as("rita").create_project("mine")) == ErrorCode::exceeds_platform_role);

  auto project = s.as("alice").create_project("atlas");
  REQUIRE(project.ok());
  REQUIRE(s.client.as_service().set_role(UserRef("alice"), PlatformRole::read_only).ok());
  CHECK(s.check("alice", *project, "view_outputs"));
  CHECK_FALSE(s.check("alice", *project, "delete_content"));
  CHECK_FALSE(s.check("alice", *project, "edit_content"));
  CHECK_FALSE(s.check("alice", *project, "upload"));
  auto why = s.client.explain(UserRef("alice"), *project);
  REQUIRE(why.ok());
  CHECK(why->basis == "owner");
  REQUIRE(why->access.levels.size() == 1);
  CHECK(why->access.levels[0].level == "view");
  CHECK_FALSE(why->caps.empty());
  // Capped at view, the owner grants and deletes no more than a viewer.
  s.user("bob");
  CHECK(code_of(s.as("alice").invite_to_project(*project, "bob", at("view"))) == ErrorCode::permission_denied);
  CHECK(code_of(s.as("alice").delete_project(*project)) == ErrorCode::permission_denied);
}

TEST_CASE("P4 a read-only user has no access in a category with no viewing level", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("dana");
  auto team = s.as("alice").create_team("lab");
  REQUIRE(team.ok());
  auto invitation = s.as("alice").invite_to_team(*team, "dana");
  REQUIRE(invitation.ok());
  REQUIRE(s.as("dana").accept_invitation(*invitation).ok());
  auto project = s.as("alice").create_project("bench", ProjectKind::project, "categories");
  REQUIRE(project.ok());
  ProjectAccess both{{Level{"project", "viewer"}, Level{"bench", "contributor"}}, false, false};
  REQUIRE(s.as("alice").grant_team(*project, *team, both).ok());
  CHECK(s.check("dana", *project, "execute_notebook"));

  REQUIRE(s.client.as_service().set_role(UserRef("dana"), PlatformRole::read_only).ok());
  CHECK(s.check("dana", *project, "view_resources"));
  CHECK_FALSE(s.check("dana", *project, "execute_notebook"));
  // Nor can such access be offered to them directly.
  s.user("rita", PlatformRole::read_only);
  ProjectAccess bench{{Level{"bench", "contributor"}}, false, false};
  CHECK(code_of(s.as("alice").invite_to_project(*project, "rita", bench)) == ErrorCode::exceeds_platform_role);
}

TEST_CASE("P5 nobody grants, invites with or keeps a flag they do not hold", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  s.user("carol");
  auto project = s.as("alice").create_project("atlas");
  REQUIRE(project.ok());
  s.join("alice", *project, "bob", at("edit"));
  auto team = s.as("bob").create_team("bobs");
  REQUIRE(team.ok());

  CHECK(code_of(s.as("bob").grant_team(*project, *team, at("edit", true, true))) == ErrorCode::permission_denied);
  CHECK(code_of(s.as("bob").grant_team(*project, *team, at("edit", false, true))) == ErrorCode::permission_denied);
  CHECK(code_of(s.as("bob").invite_to_project(*project, "carol", at("view", true))) == ErrorCode::permission_denied);
  CHECK_FALSE(s.check("bob", *project, "upload"));
  CHECK_FALSE(s.check("bob", *project, "download"));
  REQUIRE(s.as("bob").grant_team(*project, *team, at("edit")).ok());  // without flags: his to give

  // A level change keeps the grant's flags: bob may not keep one he lacks.
  s.join("alice", *project, "carol", at("view", true, false));
  CHECK(code_of(s.as("bob").set_level(*project, GrantSubject::of_user(UserRef("carol")), {Level{"", "edit"}})) ==
        ErrorCode::permission_denied);
  CHECK_FALSE(s.check("carol", *project, "edit_content"));
  // The owner holds both flags and gives them.
  REQUIRE(s.as("alice").set_level(*project, GrantSubject::of_user(UserRef("carol")), {Level{"", "edit"}}).ok());
  CHECK(s.check("carol", *project, "upload"));
}

TEST_CASE("P5 nobody raises anyone, themselves included, above their own level", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  s.user("carol");
  // A schema whose lowest level already carries manage_team.
  auto schema = R"({"categories": [{"name": "lab", "levels": [
      {"name": "helper", "actions": ["manage_team", "view_samples"]},
      {"name": "head", "actions": ["delete_samples"]}]}]})";
  auto project = s.as("alice").create_project("lab", ProjectKind::project, schema);
  REQUIRE(project.ok());
  s.join("alice", *project, "bob", ProjectAccess{{Level{"lab", "helper"}}, false, false});

  auto bob = s.as("bob");
  CHECK(code_of(bob.set_level(*project, GrantSubject::of_user(UserRef("bob")), {Level{"lab", "head"}})) ==
        ErrorCode::permission_denied);
  CHECK(code_of(bob.invite_to_project(*project, "carol", ProjectAccess{{Level{"lab", "head"}}, false, false})) ==
        ErrorCode::permission_denied);
  CHECK(code_of(bob.transfer_project(*project, UserRef("bob"))) == ErrorCode::permission_denied);
  CHECK_FALSE(s.check("bob", *project, "delete_samples"));
  // At his own level he may invite.
  CHECK(bob.invite_to_project(*project, "carol", ProjectAccess{{Level{"lab", "helper"}}, false, false}).ok());
}

TEST_CASE("U1 text fields refuse broken UTF-8, controls and, in names, deceptive characters", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  auto alice = s.as("alice");
  const std::vector<std::string> broken = {
      "\xc0\xaf",          // '/' in an overlong form
      "\xe0\x80\xaf",      // the same, three bytes long
      "\xed\xa0\x80",      // a surrogate
      "\xf4\x90\x80\x80",  // past U+10FFFF
      "abc\xe2\x82",       // cut short
      "a\xc2\x85z",        // C1 control NEL
      "tab\there",
  };
  const std::vector<std::string> deceptive = {"admin\xe2\x80\xae",
                                              "\xe2\x80\x8b"
                                              "alice",
                                              "x\xef\xbb\xbfy", "a\xe2\x80\xa8z",
                                              "\xd8\x9c"
                                              "b"};
  for (const auto& text : broken) {
    INFO("text bytes: " << text.size());
    CHECK(code_of(alice.create_team(text)) == ErrorCode::invalid_argument);
    CHECK(code_of(alice.create_team("ok", text)) == ErrorCode::invalid_argument);  // icon
    CHECK(code_of(alice.create_project(text)) == ErrorCode::invalid_argument);
    CHECK(code_of(s.client.add_user("carol", "carol@example.org", text)) == ErrorCode::invalid_argument);
  }
  auto team = alice.create_team("core");
  REQUIRE(team.ok());
  for (const auto& text : broken)
    CHECK(code_of(alice.invite_to_team(*team, "bob", {}, text)) == ErrorCode::invalid_argument);  // message
  for (const auto& text : deceptive) {
    CHECK(code_of(alice.create_team(text)) == ErrorCode::invalid_argument);
    CHECK(code_of(alice.set_team(*team, TeamChanges{text, std::nullopt, std::nullopt})) == ErrorCode::invalid_argument);
    CHECK(code_of(alice.create_project(text)) == ErrorCode::invalid_argument);
    CHECK(code_of(s.client.add_user("carol", "carol@example.org", text)) == ErrorCode::invalid_argument);
  }
  // Icons and messages are not names: direction marks are text there.
  CHECK(alice.create_team("arabic", "\xe2\x80\x8f\xd8\xb9").ok());
  // The joiners stay: emoji and scripts are built with them.
  auto coder = alice.create_team("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb coders");
  CHECK(coder.ok());
  CHECK(s.client.add_user("carol", "carol@example.org", "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8c\xe0\xa4\xb7").ok());

  // Nothing refused was stored: every listing reads and is valid UTF-8.
  auto teams = alice.list_teams();
  REQUIRE(teams.ok());
  CHECK(teams->size() == 3);
  // What a refusal quotes back is UTF-8 too.
  auto project = alice.create_project("atlas");
  REQUIRE(project.ok());
  auto refused = s.client.check(UserRef("alice"), *project,
                                "\xff\xfe"
                                "act");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::invalid_argument);
  CHECK(utf8::repaired(refused.error().message) == refused.error().message);

  // A bulk invitation names its invitees back: as UTF-8, each broken one
  // failed on its own (found by tests/fuzz/fuzz_calls.cpp).
  BulkInvitation bulk;
  bulk.targets.push_back(InviteTarget{TargetKind::team, *team});
  bulk.invitees = broken;
  bulk.invitees.push_back("bob");
  auto items = alice.invite_bulk(bulk);
  REQUIRE(items.ok());
  REQUIRE(items->size() == broken.size() + 1);
  for (std::size_t i = 0; i < broken.size(); ++i) {
    const auto& item = (*items)[i];
    CHECK(utf8::repaired(item.invitee) == item.invitee);
    REQUIRE(item.error.has_value());
    CHECK(item.error->code == ErrorCode::not_found);
  }
  CHECK(items->back().invitee == "bob");
  CHECK_FALSE(items->back().error.has_value());
}

TEST_CASE("U1 an all-digit username is refused: it would read as an id", "[e2e][hardening]") {
  scene s;
  CHECK(code_of(s.client.add_user("112", "digits@example.org")) == ErrorCode::invalid_argument);
  CHECK(s.client.add_user("user112", "digits@example.org").ok());
  CHECK(s.client.add_user("1.2", "dotted@example.org").ok());
}

TEST_CASE("I9 inbox pages hold every entry exactly once, and limits out of range are refused", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  auto alice = s.as("alice");
  auto first = alice.create_team("first");
  REQUIRE(first.ok());
  REQUIRE(alice.invite_to_team(*first, "bob").ok());
  for (int i = 0; i < 10; ++i) {
    auto team = alice.create_team("direct " + std::to_string(i));
    REQUIRE(team.ok());
    REQUIRE(alice.set_team(*team, TeamChanges{std::nullopt, std::nullopt, Admission::direct}).ok());
    REQUIRE(alice.add_to_team(*team, UserRef("bob")).ok());
  }
  auto bob = s.as("bob");
  auto everything = bob.inbox();
  REQUIRE(everything.ok());
  auto total = everything->invitations.size() + everything->notifications.size();
  CHECK(total == 12);  // one invitation, its notification, ten added_to_team

  std::multiset<Id> seen;
  InboxQuery page;
  page.limit = 5;
  for (int pages = 0; pages < 10; ++pages) {
    auto got = bob.inbox(page);
    REQUIRE(got.ok());
    CHECK(got->invitations.size() + got->notifications.size() <= 5);
    for (const auto& inv : got->invitations) seen.insert(inv.id);
    for (const auto& note : got->notifications) seen.insert(note.id);
    if (got->next == 0) break;
    page.after = got->next;
  }
  CHECK(seen.size() == total);
  for (auto id : seen) CHECK(seen.count(id) == 1);

  for (std::uint32_t limit : {0u, 1001u}) {
    InboxQuery bad;
    bad.limit = limit;
    CHECK(code_of(bob.inbox(bad)) == ErrorCode::invalid_argument);
  }
  auto project = alice.create_project("p");
  REQUIRE(project.ok());
  CHECK(code_of(alice.activity(*project, 0)) == ErrorCode::invalid_argument);
  CHECK(code_of(alice.activity(*project, 1001)) == ErrorCode::invalid_argument);
  CHECK(alice.activity(*project, 1000).ok());
}

TEST_CASE("U4 a change about a removed user answers user_removed, and show says removed", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  auto service = s.client.as_service();
  REQUIRE(service.remove_user(UserRef("bob")).ok());
  CHECK(code_of(service.remove_user(UserRef("bob"))) == ErrorCode::user_removed);
  CHECK(code_of(service.set_role(UserRef("bob"), PlatformRole::admin)) == ErrorCode::user_removed);
  CHECK(code_of(service.set_team_manager(UserRef("bob"), true)) == ErrorCode::user_removed);
  auto team = s.as("alice").create_team("core");
  REQUIRE(team.ok());
  CHECK(code_of(s.as("alice").invite_to_team(*team, "bob")) == ErrorCode::user_removed);
  auto shown = service.show_user(UserRef("bob"));
  REQUIRE(shown.ok());
  CHECK(shown->removed);
  CHECK(shown->role == PlatformRole::standard);  // the refused change changed nothing
  CHECK_FALSE(shown->team_manager);
  auto alice = service.show_user(UserRef("alice"));
  REQUIRE(alice.ok());
  CHECK_FALSE(alice->removed);
}

TEST_CASE("I5 an invitation tells outsiders nothing, and one its target's deletion cancelled says so",
          "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  s.user("mallory");
  auto alice = s.as("alice");
  auto team = alice.create_team("core");
  auto project = alice.create_project("atlas");
  REQUIRE(team.ok());
  REQUIRE(project.ok());
  auto to_team = alice.invite_to_team(*team, "bob");
  auto to_project = alice.invite_to_project(*project, "bob", at("view"));
  REQUIRE(to_team.ok());
  REQUIRE(to_project.ok());
  for (auto invitation : {*to_team, *to_project}) {
    CHECK(code_of(s.as("mallory").accept_invitation(invitation)) == ErrorCode::not_found);
    CHECK(code_of(s.as("mallory").cancel_invitation(invitation)) == ErrorCode::not_found);
    CHECK(code_of(s.as("mallory").remind_invitation(invitation)) == ErrorCode::not_found);
  }
  REQUIRE(alice.delete_team(*team).ok());
  REQUIRE(alice.delete_project(*project).ok());
  CHECK(code_of(s.as("bob").accept_invitation(*to_team)) == ErrorCode::invitation_cancelled);
  CHECK(code_of(s.as("bob").accept_invitation(*to_project)) == ErrorCode::invitation_cancelled);
  auto inbox = s.as("bob").inbox();
  REQUIRE(inbox.ok());
  for (const auto& inv : inbox->invitations) CHECK(inv.status == InvitationStatus::cancelled);
}

TEST_CASE("U5 an e-mail invitation cancelled before the address signs up is not delivered", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  auto alice = s.as("alice");
  auto team = alice.create_team("core");
  REQUIRE(team.ok());
  auto cancelled = alice.invite_to_team(*team, "newcomer@example.org");
  REQUIRE(cancelled.ok());
  REQUIRE(alice.cancel_invitation(*cancelled).ok());
  auto project = alice.create_project("atlas");
  REQUIRE(project.ok());
  auto waiting = alice.invite_to_project(*project, "newcomer@example.org", at("view"));
  REQUIRE(waiting.ok());

  REQUIRE(s.client.add_user("newcomer", "newcomer@example.org").ok());
  auto inbox = s.as("newcomer").inbox();
  REQUIRE(inbox.ok());
  REQUIRE(inbox->invitations.size() == 1);
  CHECK(inbox->invitations[0].id == *waiting);
  CHECK(inbox->unread == 1);
}

TEST_CASE("I7 the first reminder may follow the invitation at once, the next an hour later", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  auto team = s.as("alice").create_team("core");
  REQUIRE(team.ok());
  auto invitation = s.as("alice").invite_to_team(*team, "bob");
  REQUIRE(invitation.ok());
  REQUIRE(s.as("alice").remind_invitation(*invitation).ok());
  CHECK(code_of(s.as("alice").remind_invitation(*invitation)) == ErrorCode::too_soon);
  auto inbox = s.as("bob").inbox();
  REQUIRE(inbox.ok());
  REQUIRE(inbox->invitations.size() == 1);
  CHECK(inbox->invitations[0].reminders == 1);
}

TEST_CASE("U2 adding a user takes the acting user's rights", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("root", PlatformRole::admin);
  CHECK(code_of(s.as("alice").add_user("eve", "eve@example.org")) == ErrorCode::permission_denied);
  CHECK(s.as("root").add_user("erin", "erin@example.org").ok());
  CHECK(code_of(s.as("alice").show_user(UserRef("eve"))) == ErrorCode::not_found);
}

TEST_CASE("I1 an invitation names its target, its inviter and its invitee for people", "[e2e][hardening]") {
  scene s;
  s.user("alice");
  s.user("bob");
  auto alice = s.as("alice");
  auto team = alice.create_team("Data Science");
  auto project = alice.create_project("Atlas");
  REQUIRE(team.ok());
  REQUIRE(project.ok());
  REQUIRE(alice.invite_to_team(*team, "bob", {}, "join us").ok());
  REQUIRE(alice.invite_to_project(*project, "bob", at("view")).ok());
  REQUIRE(alice.invite_to_team(*team, "later@example.org").ok());
  auto inbox = s.as("bob").inbox();
  REQUIRE(inbox.ok());
  REQUIRE(inbox->invitations.size() == 2);
  CHECK(inbox->invitations[0].target_name == "Atlas");
  CHECK(inbox->invitations[1].target_name == "Data Science");
  CHECK(inbox->invitations[1].message == "join us");
  for (const auto& inv : inbox->invitations) {
    CHECK(inv.inviter_name == "alice");
    CHECK(inv.invitee_name == "bob");
  }
  // An address that signs up gets its username on the invitation.
  REQUIRE(s.client.add_user("later", "later@example.org").ok());
  auto shown = alice.show_team(*team);
  REQUIRE(shown.ok());
  REQUIRE(shown->invitations.size() == 2);
  CHECK(shown->invitations[0].invitee_name == "bob");
  CHECK(shown->invitations[1].invitee_name == "later");
}
