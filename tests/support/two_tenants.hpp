// Two tenants with a few users each, a platform admin in `default` and a
// team: the scene of the tenant tests (N1-N5) through the actors.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/actor_harness.hpp"

namespace roster::testing {

struct two_tenants {
  actor_harness h;
  entity_id acme = create_tenant("acme");
  entity_id globex = create_tenant("globex");
  entity_id wile = add_user("wile", acme);
  entity_id coyote = add_user("coyote", acme);
  entity_id road = add_user("road", globex);
  entity_id root = h.add_user("root", platform_role::admin);  // default tenant
  entity_id rockets = h.create_team(wile, "rockets");

  entity_id create_tenant(const std::string& name) {
    auto id = h.call<entity_id>(h.service(), tenant_create_cmd{name});
    REQUIRE(id.ok());
    return *id.value;
  }
  entity_id add_user(const std::string& username, entity_id tenant) {
    auto id = h.call<entity_id>(h.service(), register_user_cmd{username, username + "@example.org", "",
                                                               platform_role::standard, tenant_ref{tenant, {}}});
    REQUIRE(id.ok());
    return *id.value;
  }
  std::vector<entity_id> teams_listed_by(entity_id user) {
    auto list = h.call<team_list>(h.as(user), team_list_cmd{});
    REQUIRE(list.ok());
    std::vector<entity_id> ids;
    for (const auto& t : list.value->teams) ids.push_back(t.id);
    return ids;
  }
};

}  // namespace roster::testing
