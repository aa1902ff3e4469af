// C1: the check's fast path (`allows`, from each user's merged grant, kept as
// the grants change) must answer exactly what the full effective access
// (`resolve_access`, walking the grants, also used by explanations) implies,
// for every kind of grant, policy, role and action, after every kind of change.
#include <catch2/catch.hpp>

#include <random>

#include "domain/access.hpp"
#include "domain/role_schema.hpp"

namespace roster::domain {
namespace {

action_requirement upload_need() { return action_requirement{action_requirement::kind::upload, 0, 0}; }

// Expiries (P9) fall around this instant; checks ask at instants around it.
constexpr millis base_time = 1'000'000;

bool implied_by_full_access(const project_grants& p, entity_id user, user_standing fact, const action_requirement& need,
                            millis now) {
  auto access = resolve_access(p, user, fact, now);
  switch (need.what) {
    case action_requirement::kind::upload:
      return access.upload;
    case action_requirement::kind::download:
      return access.download;
    default:
      return need.category < access.levels.size() && access.levels[need.category] >= need.level && need.level > 0;
  }
}

grant random_grant(std::mt19937& random, const role_schema& schema) {
  grant g;
  for (const auto& category : schema.all())
    g.levels.push_back(static_cast<std::uint8_t>(random() % category.levels.size()));
  if (random() % 3 == 0) g.levels.resize(random() % (g.levels.size() + 1));  // shorter than the schema
  g.upload = random() % 2;
  g.download = random() % 2;
  if (random() % 3 == 0) g.expires = base_time + static_cast<millis>(random() % 10);
  return g;
}

member_copy random_member(std::mt19937& random) {
  member_copy m{member_flags{random() % 2 == 0, random() % 2 == 0}, 0};
  if (random() % 3 == 0) m.expires = base_time + static_cast<millis>(random() % 10);
  return m;
}

project_grants::member_map random_members(std::mt19937& random) {
  project_grants::member_map members;
  for (entity_id user = 2; user < 8; ++user)
    if (random() % 2) members[user] = random_member(random);
  return members;
}

// One change of any kind the project actor makes, at random.
void change_at_random(std::mt19937& random, project_grants& p, const role_schema& schema) {
  entity_id user = 2 + random() % 6;
  entity_id team = 100 + random() % 3;
  switch (random() % 10) {
    case 0:
    case 1:
      p.put_user(user, random_grant(random, schema));
      break;
    case 2:
      p.erase_user(user);
      break;
    case 3:
      p.put_team(team, random_grant(random, schema));
      break;
    case 4:
      p.erase_team(team);
      break;
    case 5:
      p.put_members(team, random_members(random));
      break;
    case 6:
      p.put_member(team, user, random_member(random));
      break;
    case 7:
      p.erase_member(team, user);
      break;
    case 8:
      p.configure(&schema, static_cast<project_kind>(random() % 4), static_cast<resolution_policy>(random() % 2),
                  1 + random() % 3);
      break;
    default:
      if (random() % 4 == 0) p.clear();
      break;
  }
}

}  // namespace

TEST_CASE("C1 P9 a check answered from the index agrees with the full effective access, at every instant") {
  std::mt19937 random(20261122);
  const std::vector<std::shared_ptr<const role_schema>> schemas{role_schema::simple(), role_schema::categories()};
  std::vector<std::string> actions;
  for (const auto& schema : schemas)
    for (const auto& category : schema->all())
      for (const auto& level : category.actions)
        for (const auto& action : level) actions.push_back(action);
  actions.push_back("upload");
  actions.push_back("download");
  REQUIRE(actions.size() > 4);

  std::size_t allowed = 0, denied = 0;
  for (int round = 0; round < 500; ++round) {
    const auto& schema = *schemas[random() % schemas.size()];
    project_grants p;
    p.configure(&schema, static_cast<project_kind>(random() % 4), static_cast<resolution_policy>(random() % 2), 1);
    // Grants made in either order (a loaded project reads its team grants
    // before the teams send their members; a new grant gets both at once).
    for (int change = 0; change < 40; ++change) {
      change_at_random(random, p, schema);
      for (entity_id user = 1; user < 9; ++user) {
        user_standing fact;
        fact.known = true;
        fact.exists = random() % 8 != 0;
        fact.removed = random() % 10 == 0;
        fact.role = static_cast<platform_role>(random() % 3);
        for (int a = 0; a < 4; ++a) {
          auto need = schema.find_action(actions[random() % actions.size()]);
          if (!need) continue;  // an action of the other schema
          // P9: at an instant before, at or after the expiries.
          millis now = base_time - 1 + static_cast<millis>(random() % 12);
          bool fast = allows(p, user, fact, *need, [now] { return now; });
          INFO("round " << round << " change " << change << " user " << user << " category " << int(need->category)
                        << " level " << int(need->level) << " at " << now);
          REQUIRE(fast == implied_by_full_access(p, user, fact, *need, now));
          (fast ? allowed : denied) += 1;
        }
      }
    }
  }
  // Both answers were exercised, many times.
  CHECK(allowed > 10000);
  CHECK(denied > 10000);
}

TEST_CASE("C1 a user's merged grant holds only while a grant gives it") {
  auto schema = role_schema::simple();
  project_grants p;
  p.configure(schema.get(), project_kind::dataset, resolution_policy::highest, 1);
  p.put_team(100, grant{{2}, true, false, 0});
  p.put_members(100, {{5, member_copy{member_flags{true, false}, 0}}, {6, member_copy{member_flags{false, true}, 0}}});
  CHECK(p.merged(5).level(0) == 2);
  CHECK(p.merged(5).upload());
  CHECK(p.merged(6).empty());  // P4.2: a dataset's team grant needs view_datasets
  p.configure(schema.get(), project_kind::code, resolution_policy::highest, 1);
  CHECK(p.merged(5).empty());
  CHECK(p.merged(6).level(0) == 2);
  p.put_user(6, grant{{1}, false, true, 0});
  CHECK(p.merged(6).level(0) == 2);
  CHECK(p.merged(6).download());
  p.configure(schema.get(), project_kind::code, resolution_policy::most_specific, 1);
  CHECK(p.merged(6).level(0) == 1);  // P4.3: their own grant only
  CHECK_FALSE(p.merged(6).upload());
  p.erase_member(100, 6);
  p.erase_user(6);
  CHECK(p.merged(6).empty());
  p.put_member(100, 7, member_copy{member_flags{true, true}, 0});
  CHECK(p.merged(7).level(0) == 2);
  CHECK(p.erase_team(100));
  CHECK(p.merged(7).empty());
  CHECK_FALSE(p.erase_team(100));
  p.put_member(100, 8, member_copy{member_flags{true, true}, 0});  // no copy of a team no longer granted
  CHECK(p.team_members().empty());
}

TEST_CASE("P9 a grant or a membership ends exactly at its expiry, and what else the user holds counts from then") {
  auto schema = role_schema::simple();
  auto edit = *schema->find_action("edit_content");
  auto view = *schema->find_action("view_outputs");
  user_standing alice;
  alice.known = alice.exists = true;
  project_grants p;
  p.configure(schema.get(), project_kind::project, resolution_policy::most_specific, 1);
  p.put_team(100, grant{{1}, false, false, 0});                         // view, for good
  p.put_members(100, {{5, member_copy{member_flags{true, true}, 0}}});  // alice, for good
  p.put_user(5, grant{{2}, true, false, 2000});                         // edit, until 2000
  p.put_members(100, {{5, member_copy{member_flags{true, true}, 0}}, {6, member_copy{member_flags{true, true}, 1500}}});
  REQUIRE(p.merged(5).expiring());
  CHECK(p.first_expiry(5) == 2000);
  CHECK(p.first_expiry(6) == 1500);

  int asked = 0;
  auto at = [&asked](millis now) {
    return [&asked, now] {
      ++asked;
      return now;
    };
  };
  // Her own grant, alone under most_specific, until the instant it ends.
  CHECK(allows(p, 5, alice, edit, at(1999)));
  CHECK(allows(p, 5, alice, upload_need(), at(1999)));
  CHECK_FALSE(allows(p, 5, alice, edit, at(2000)));
  CHECK_FALSE(allows(p, 5, alice, upload_need(), at(2000)));
  // From then on the team's grant is hers, though nothing was removed yet.
  CHECK(allows(p, 5, alice, view, at(2000)));
  CHECK(resolve_access(p, 5, alice, 2000).levels == std::vector<std::uint8_t>{1});
  CHECK(resolve_access(p, 5, alice, 1999).levels == std::vector<std::uint8_t>{2});
  // A membership that ends takes the team's grant with it, at its instant.
  CHECK(allows(p, 6, alice, view, at(1499)));
  CHECK_FALSE(allows(p, 6, alice, view, at(1500)));
  CHECK(resolve_access(p, 6, alice, 1500).levels.empty());

  // The time is read only for entries with something that ends.
  asked = 0;
  p.erase_user(5);
  CHECK_FALSE(p.merged(5).expiring());
  CHECK(allows(p, 5, alice, view, at(5000)));
  CHECK(asked == 0);
  // Removing what expired leaves the entry exact again.
  p.erase_member(100, 6);
  CHECK(p.merged(6).empty());
  CHECK(p.first_expiry(6) == 0);
}

}  // namespace roster::domain
