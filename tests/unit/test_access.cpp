// C1: the check's fast path (`allows`, one category, nothing allocated) must
// answer exactly what the full effective access (`resolve_access`, also used
// by explanations) implies, for every kind of grant, policy, role and action.
#include <catch2/catch.hpp>

#include <random>

#include "actors/access.hpp"
#include "actors/role_schema.hpp"

namespace roster::actors {
namespace {

bool implied_by_full_access(const project_grants& p, entity_id user, platform_facts::fact fact,
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
  for (int round = 0; round < 2000; ++round) {
    const auto& schema = *schemas[random() % schemas.size()];
    project_grants p;
    p.schema = &schema;
    p.kind = static_cast<project_kind>(random() % 4);
    p.policy = static_cast<resolution_policy>(random() % 2);
    p.owner = 1;
    for (entity_id user = 2; user < 8; ++user)
      if (random() % 2) p.users[user] = random_grant(random, schema);
    for (entity_id team = 100; team < 103; ++team) {
      if (random() % 2 == 0) continue;
      p.teams[team] = random_grant(random, schema);
      auto& members = p.team_members[team];
      for (entity_id user = 2; user < 8; ++user)
        if (random() % 2) members[user] = member_flags{random() % 2 == 0, random() % 2 == 0};
    }
    for (entity_id user = 1; user < 9; ++user) {
      platform_facts::fact fact;
      fact.known = true;
      fact.exists = random() % 8 != 0;
      fact.removed = random() % 10 == 0;
      fact.role = static_cast<platform_role>(random() % 3);
      for (int a = 0; a < 4; ++a) {
        auto need = schema.find_action(actions[random() % actions.size()]);
        if (!need) continue;  // an action of the other schema
        bool fast = allows(p, user, fact, *need);
        INFO("round " << round << " user " << user << " category " << int(need->category) << " level "
                      << int(need->level));
        REQUIRE(fast == implied_by_full_access(p, user, fact, *need));
        (fast ? allowed : denied) += 1;
      }
    }
  }
  // Both answers were exercised, many times.
  CHECK(allowed > 1000);
  CHECK(denied > 1000);
}

}  // namespace roster::actors
