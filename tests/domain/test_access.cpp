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

bool implied_by_full_access(const project_grants& p, entity_id user, user_standing fact,
                            const action_requirement& need) {
  auto access = resolve_access(p, user, fact);
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
  return g;
}

project_grants::member_map random_members(std::mt19937& random) {
  project_grants::member_map members;
  for (entity_id user = 2; user < 8; ++user)
    if (random() % 2) members[user] = member_flags{random() % 2 == 0, random() % 2 == 0};
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
      p.put_member(team, user, member_flags{random() % 2 == 0, random() % 2 == 0});
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

TEST_CASE("C1 a check answered from the index agrees with the full effective access") {
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
          bool fast = allows(p, user, fact, *need);
          INFO("round " << round << " change " << change << " user " << user << " category " << int(need->category)
                        << " level " << int(need->level));
          REQUIRE(fast == implied_by_full_access(p, user, fact, *need));
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
  p.put_team(100, grant{{2}, true, false});
  p.put_members(100, {{5, member_flags{true, false}}, {6, member_flags{false, true}}});
  CHECK(p.merged(5).level(0) == 2);
  CHECK(p.merged(5).upload());
  CHECK(p.merged(6).empty());  // P4.2: a dataset's team grant needs view_datasets
  p.configure(schema.get(), project_kind::code, resolution_policy::highest, 1);
  CHECK(p.merged(5).empty());
  CHECK(p.merged(6).level(0) == 2);
  p.put_user(6, grant{{1}, false, true});
  CHECK(p.merged(6).level(0) == 2);
  CHECK(p.merged(6).download());
  p.configure(schema.get(), project_kind::code, resolution_policy::most_specific, 1);
  CHECK(p.merged(6).level(0) == 1);  // P4.3: their own grant only
  CHECK_FALSE(p.merged(6).upload());
  p.erase_member(100, 6);
  p.erase_user(6);
  CHECK(p.merged(6).empty());
  p.put_member(100, 7, member_flags{true, true});
  CHECK(p.merged(7).level(0) == 2);
  CHECK(p.erase_team(100));
  CHECK(p.merged(7).empty());
  CHECK_FALSE(p.erase_team(100));
  p.put_member(100, 8, member_flags{true, true});  // no copy of a team no longer granted
  CHECK(p.team_members().empty());
}

}  // namespace roster::domain
