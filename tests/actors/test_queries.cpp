// C2-C4 in the actors: bulk checks, explanations and lookups.
#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

namespace {
project_access level(const std::string& name) { return project_access{{level_spec{"", name}}, false, false}; }

struct scene {
  actor_harness h;
  entity_id alice = h.add_user("alice");
  entity_id bob = h.add_user("bob");
  entity_id carol = h.add_user("carol");
  entity_id team = h.create_team(alice, "core");

  void collaborate(entity_id project, entity_id user, const std::string& name, const std::string& lvl) {
    auto inv = h.call<entity_id>(h.as(alice), project_invite_cmd{project, name, level(lvl), ""});
    REQUIRE(inv.ok());
    REQUIRE(h.answer(user, *inv.value, answer_kind::accept).ok());
  }
  void join_team(entity_id user, const std::string& name, member_flags flags) {
    auto inv = h.invite_to_team(alice, team, name, flags);
    REQUIRE(h.answer(user, inv, answer_kind::accept).ok());
  }
  project_page lookup(user_ref user, std::string action = "", std::uint32_t limit = 100, entity_id after = 0) {
    auto out = h.call<project_page>(lookup_projects_cmd{user, std::move(action), limit, after});
    REQUIRE(out.ok());
    return *out.value;
  }
};

std::vector<entity_id> ids(const project_page& page) {
  std::vector<entity_id> out;
  for (auto& p : page.projects) out.push_back(p.id);
  return out;
}
}  // namespace

TEST_CASE("C2 a bulk check answers each triple in order, failures included", "[check]") {
  scene s;
  auto p1 = s.h.create_project(s.alice, "one");
  auto p2 = s.h.create_project(s.alice, "two");
  s.collaborate(p2, s.bob, "bob", "view");
  check_bulk_cmd cmd;
  cmd.checks = {
      {user_ref{s.bob, {}}, p1, "view_outputs"},             // denied
      {user_ref{s.bob, {}}, p2, "view_outputs"},             // allowed
      {user_ref{no_entity, "alice"}, p1, "delete_content"},  // allowed, by username
      {user_ref{s.bob, {}}, p2, "no_such_action"},           // invalid_argument
      {user_ref{no_entity, "nobody"}, p2, "view_outputs"},   // not_found user
      {user_ref{s.bob, {}}, 999999, "view_outputs"},         // not_found project
      {user_ref{s.bob, {}}, p2, "view_files"},               // denied
  };
  auto out = s.h.call<check_bulk_result>(cmd);
  REQUIRE(out.ok());
  auto& o = out.value->outcomes;
  REQUIRE(o.size() == 7);
  CHECK((!o[0].failed && !o[0].allowed));
  CHECK((!o[1].failed && o[1].allowed));
  CHECK((!o[2].failed && o[2].allowed));
  CHECK((o[3].failed && o[3].code == ErrorCode::invalid_argument));
  CHECK((o[4].failed && o[4].code == ErrorCode::not_found));
  CHECK((o[5].failed && o[5].code == ErrorCode::not_found));
  CHECK((!o[6].failed && !o[6].allowed));
}

TEST_CASE("C2 a bulk check none of whose triples reaches a project still answers each one", "[check]") {
  scene s;
  check_bulk_cmd cmd;
  cmd.checks = {
      {user_ref{no_entity, "nobody"}, 1, "view_outputs"},  // not_found user
      {user_ref{no_entity, {}}, 1, "view_outputs"},        // invalid_argument: no user named
      {user_ref{s.bob, {}}, 1, std::string(65, 'a')},      // invalid_argument: action too long
  };
  auto out = s.h.call<check_bulk_result>(cmd);
  REQUIRE(out.ok());
  auto& o = out.value->outcomes;
  REQUIRE(o.size() == 3);
  CHECK((o[0].failed && o[0].code == ErrorCode::not_found));
  CHECK((o[1].failed && o[1].code == ErrorCode::invalid_argument));
  CHECK((o[2].failed && o[2].code == ErrorCode::invalid_argument));
}

TEST_CASE("C1 the id of a user or a team named as a project's is not found, though its actor is active", "[check]") {
  scene s;
  auto project = s.h.create_project(s.alice, "one");
  // alice's and the team's actors are active: they just acted.
  for (auto not_a_project : {s.alice, s.team}) {
    CHECK(s.h.check(s.alice, not_a_project, "view_outputs").code() == ErrorCode::not_found);
    CHECK(s.h.call<entity_id>(s.h.as(s.alice), project_invite_cmd{not_a_project, "bob", level("view"), ""}).code() ==
          ErrorCode::not_found);
  }
  CHECK(s.h.call<entity_id>(s.h.as(s.alice), team_invite_cmd{project, "bob", {}, ""}).code() == ErrorCode::not_found);
  CHECK(s.h.check(s.alice, project, "view_outputs").value == true);
}

TEST_CASE("C2 a bulk check of more than 10,000 triples is refused, 10,000 is answered", "[check]") {
  scene s;
  auto p = s.h.create_project(s.alice, "one");
  check_bulk_cmd cmd;
  cmd.checks.assign(10000, check_cmd{user_ref{s.alice, {}}, p, "view_outputs"});
  auto out = s.h.call<check_bulk_result>(cmd);
  REQUIRE(out.ok());
  REQUIRE(out.value->outcomes.size() == 10000);
  CHECK(out.value->outcomes.back().allowed);
  cmd.checks.push_back(cmd.checks.back());
  CHECK(s.h.call<check_bulk_result>(cmd).code() == ErrorCode::invalid_argument);
}

TEST_CASE("C3 explain names the direct and team grants, the policy and what did not count", "[explain]") {
  scene s;
  auto dataset = s.h.create_project(s.alice, "data", project_kind::dataset);
  s.join_team(s.bob, "bob", {false, true});  // no view_datasets
  s.join_team(s.carol, "carol", {true, false});
  REQUIRE(s.h.call_void(s.h.as(s.alice), grant_team_cmd{dataset, s.team, level("edit")}).ok());
  s.collaborate(dataset, s.bob, "bob", "view");

  auto bob = s.h.call<explanation>(explain_cmd{user_ref{s.bob, {}}, dataset});
  REQUIRE(bob.ok());
  CHECK(bob.value->basis == "grants");
  CHECK(bob.value->policy == resolution_policy::highest);
  REQUIRE(bob.value->access.levels.size() == 1);
  CHECK(bob.value->access.levels[0].level == "view");
  REQUIRE(bob.value->grants.size() == 2);
  CHECK((!bob.value->grants[0].team && bob.value->grants[0].counted));
  CHECK((bob.value->grants[1].team && !bob.value->grants[1].counted));
  CHECK(bob.value->grants[1].note.find("view_datasets") != std::string::npos);

  auto carol = s.h.call<explanation>(explain_cmd{user_ref{no_entity, "carol"}, dataset});
  REQUIRE(carol.ok());
  CHECK(carol.value->access.levels[0].level == "edit");
  REQUIRE(carol.value->grants.size() == 1);
  CHECK(carol.value->grants[0].counted);

  auto alice = s.h.call<explanation>(explain_cmd{user_ref{s.alice, {}}, dataset});
  REQUIRE(alice.ok());
  CHECK(alice.value->basis == "owner");
  CHECK(alice.value->access.levels[0].level == "own");
}

TEST_CASE("C3 explain shows the read-only cap and the most_specific policy", "[explain]") {
  scene s;
  auto reader = s.h.add_user("reader");
  auto p = s.h.call<entity_id>(
      s.h.as(s.alice), create_project_cmd{"ms", project_kind::project, "simple", resolution_policy::most_specific});
  REQUIRE(p.ok());
  s.join_team(reader, "reader", {true, true});
  REQUIRE(s.h.call_void(s.h.as(s.alice), grant_team_cmd{*p.value, s.team, level("edit")}).ok());
  REQUIRE(s.h.call_void(s.h.service(), user_role_cmd{user_ref{reader, {}}, platform_role::read_only}).ok());
  auto capped = s.h.call<explanation>(explain_cmd{user_ref{reader, {}}, *p.value});
  REQUIRE(capped.ok());
  CHECK(capped.value->access.levels[0].level == "view");
  REQUIRE(capped.value->caps.size() == 1);
  CHECK(capped.value->caps[0] == "read_only: project capped at view");

  s.collaborate(*p.value, s.bob, "bob", "view");
  s.join_team(s.bob, "bob", {true, true});
  auto bob = s.h.call<explanation>(explain_cmd{user_ref{s.bob, {}}, *p.value});
  REQUIRE(bob.ok());
  CHECK(bob.value->policy == resolution_policy::most_specific);
  CHECK(bob.value->access.levels[0].level == "view");
  REQUIRE(bob.value->grants.size() == 2);
  CHECK(bob.value->grants[1].note.find("most_specific") != std::string::npos);
  CHECK(s.h.call<explanation>(explain_cmd{user_ref{no_entity, "nobody"}, *p.value}).code() == ErrorCode::not_found);
}

TEST_CASE("C4 lookup finds owned, granted and team-granted projects, in id order", "[lookup]") {
  scene s;
  auto owned = s.h.create_project(s.bob, "mine");
  auto direct = s.h.create_project(s.alice, "direct");
  auto via_team = s.h.create_project(s.alice, "team");
  auto unseen = s.h.create_project(s.alice, "unseen");
  (void)unseen;
  s.collaborate(direct, s.bob, "bob", "view");
  s.join_team(s.bob, "bob", {true, true});
  REQUIRE(s.h.call_void(s.h.as(s.alice), grant_team_cmd{via_team, s.team, level("edit")}).ok());
  CHECK(ids(s.lookup(user_ref{s.bob, {}})) == std::vector<entity_id>{owned, direct, via_team});
  CHECK(ids(s.lookup(user_ref{s.bob, {}}, "launch_runs")) == std::vector<entity_id>{owned, via_team});
  // The acting user's own list (P1) is the same lookup.
  lookup_projects_cmd own;  // field by field: see server/gateway_session.cpp
  own.limit = 100;
  auto mine = s.h.call<project_page>(s.h.as(s.bob), own);
  REQUIRE(mine.ok());
  CHECK(ids(*mine.value) == std::vector<entity_id>{owned, direct, via_team});
  // Leaving the team ends the team's part.
  REQUIRE(s.h.call_void(s.h.as(s.bob), team_leave_cmd{s.team}).ok());
  CHECK(ids(s.lookup(user_ref{s.bob, {}})) == std::vector<entity_id>{owned, direct});
}

TEST_CASE("C4 lookup pages with a cursor and never drops an entry", "[lookup]") {
  scene s;
  std::vector<entity_id> all;
  for (int i = 0; i < 150; ++i) all.push_back(s.h.create_project(s.bob, "p" + std::to_string(i)));
  std::vector<entity_id> seen;
  entity_id after = 0;
  int pages = 0;
  do {
    auto page = s.lookup(user_ref{s.bob, {}}, "", 40, after);
    for (auto id : ids(page)) seen.push_back(id);
    after = page.next;
    ++pages;
  } while (after != 0);
  CHECK(pages == 4);
  CHECK(seen == all);
  // An admin sees every project, also paged.
  auto admin = s.h.add_user("root", platform_role::admin);
  auto first = s.lookup(user_ref{admin, {}}, "", 100);
  CHECK(first.projects.size() == 100);
  CHECK(first.next == first.projects.back().id);
  auto rest = s.lookup(user_ref{admin, {}}, "view_outputs", 100, first.next);
  CHECK(rest.projects.size() == 50);
  CHECK(rest.next == 0);
  CHECK(s.h.call<project_page>(lookup_projects_cmd{user_ref{s.bob, {}}, "", 0, 0}).code() ==
        ErrorCode::invalid_argument);
}

TEST_CASE("C4 lookup of users lists who may do an action, paged", "[lookup]") {
  scene s;
  auto p = s.h.create_project(s.alice, "p");
  s.collaborate(p, s.bob, "bob", "view");
  s.join_team(s.carol, "carol", {true, true});
  REQUIRE(s.h.call_void(s.h.as(s.alice), grant_team_cmd{p, s.team, level("edit")}).ok());
  auto view = s.h.call<user_page>(lookup_users_cmd{p, "view_outputs", 100, 0});
  REQUIRE(view.ok());
  CHECK(view.value->users == std::vector<entity_id>{s.alice, s.bob, s.carol});
  auto edit = s.h.call<user_page>(lookup_users_cmd{p, "launch_runs", 100, 0});
  REQUIRE(edit.ok());
  CHECK(edit.value->users == std::vector<entity_id>{s.alice, s.carol});
  auto first = s.h.call<user_page>(lookup_users_cmd{p, "view_outputs", 2, 0});
  REQUIRE(first.ok());
  CHECK(first.value->users == std::vector<entity_id>{s.alice, s.bob});
  CHECK(first.value->next == s.bob);
  auto second = s.h.call<user_page>(lookup_users_cmd{p, "view_outputs", 2, first.value->next});
  REQUIRE(second.ok());
  CHECK(second.value->users == std::vector<entity_id>{s.carol});
  CHECK(second.value->next == 0);
  CHECK(s.h.call<user_page>(lookup_users_cmd{p, "fly", 10, 0}).code() == ErrorCode::invalid_argument);
}
