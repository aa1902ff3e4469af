// C1, C5: when the check index answers from a project's published view, and
// when it sends the reader to the project's actor instead.
#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include "actors/published/check_index.hpp"

namespace roster::actors {
namespace {

constexpr entity_id owner = 1, bob = 2, project = 10;

// One project's view as its actor publishes it at the end of a turn: bob
// holds no grant.
struct published_project {
  check_index index;
  platform_facts facts;
  std::shared_ptr<const role_schema> schema = role_schema::simple();
  project_grants grants;
  bool deleted = false;
  project_view* view = index.view_of(project);

  published_project() {
    grants.configure(schema.get(), project_kind::project, resolution_policy::highest, owner);
    facts.set(bob, platform_facts::fact{true, true, false, platform_role::standard});
    activate();
  }
  // What a project actor does in its first turn, and at the end of it.
  void activate() {
    std::unique_lock<std::shared_mutex> turn(view->turn_lock());
    view->attach(&grants, &schema, &deleted, default_tenant);
    view->set_readable(true);
  }
  std::optional<bool> check() { return index.try_check(bob, project, "view_outputs", facts); }
};

TEST_CASE("C5 the check index sends readers to the project while a team's member change is on its way to it",
          "[check][index]") {
  published_project p;
  REQUIRE(p.check() == std::optional<bool>(false));
  p.view->expect_member_change();
  p.view->expect_member_change();
  CHECK_FALSE(p.check().has_value());
  p.view->member_change_arrived();
  CHECK_FALSE(p.check().has_value());  // the second is still on its way
  p.view->member_change_arrived();
  CHECK(p.check() == std::optional<bool>(false));
}

TEST_CASE("C5 a project actor activated again does not wait for member changes sent to the one before it",
          "[check][index]") {
  published_project p;
  p.view->expect_member_change();  // to an actor that then stopped, its mailbox dropped
  CHECK_FALSE(p.check().has_value());
  p.activate();
  CHECK(p.check() == std::optional<bool>(false));
}

TEST_CASE("N4 the check index sends a tenant admin's checks to the project, which knows its tenant",
          "[check][index][tenant]") {
  published_project p;
  REQUIRE(p.check() == std::optional<bool>(false));
  p.facts.set(bob, platform_facts::fact{true, true, false, platform_role::standard, true});
  CHECK_FALSE(p.check().has_value());
  p.facts.set(bob, platform_facts::fact{true, true, false, platform_role::standard, false});
  CHECK(p.check() == std::optional<bool>(false));
}

TEST_CASE("N5 the check index publishes each active project's tenant, for tenant-scoped checks",
          "[check][index][tenant]") {
  published_project p;
  CHECK(p.index.project_tenant(project) == std::optional<entity_id>(default_tenant));
  CHECK_FALSE(p.index.project_tenant(project + 1).has_value());  // never active
  auto* other = p.index.view_of(project + 2);
  {
    std::unique_lock<std::shared_mutex> turn(other->turn_lock());
    other->attach(&p.grants, &p.schema, &p.deleted, 42);
  }
  CHECK(p.index.project_tenant(project + 2) == std::optional<entity_id>(42));
}

}  // namespace
}  // namespace roster::actors
