#include "actors/support/runtime.hpp"

#include "actors/published/actor_registry.hpp"
#include "actors/support/lookup.hpp"

namespace roster::actors {

runtime::runtime(storage_port& storage, const clock& time, settings config)
    : storage(storage),
      time(time),
      config(config),
      next_id_(storage.stored_high_id() + 1),
      registry_(std::make_unique<actor_registry>()) {
  checks.keep_time_by(&time);
}

runtime::~runtime() = default;

platform_facts::fact runtime::user_fact(entity_id user) {
  auto fact = facts.get(user);
  if (fact.known || user == no_entity) return fact;
  auto profile = load_user(storage, user);
  if (!profile) return fact;
  facts.learn(user, {true, true, profile->removed, profile->role, profile->tenant_admin});
  facts.learn_tenant(user, profile->tenant);
  return facts.get(user);
}

std::optional<entity_id> runtime::user_tenant(entity_id user) {
  if (user == no_entity) return std::nullopt;
  if (auto known = facts.tenant_of(user)) return known;
  auto profile = load_user(storage, user);
  if (!profile) return std::nullopt;
  facts.learn_tenant(user, profile->tenant);
  return profile->tenant;
}

domain::authority runtime::authority_over(entity_id acting, entity_id tenant) {
  if (acting == no_entity) return domain::authority::platform_admin;
  auto acting_tenant = user_tenant(acting);
  if (!acting_tenant) return domain::authority::outsider;
  return domain::authority_over(user_fact(acting), acting_tenant, tenant);
}

runtime::admitted runtime::admit_change_about(entity_id user) {
  if (user == no_entity) return {};
  auto in_flight = facts.count_in(user);
  auto fact = facts.get_after_count_in(user);
  // Not learnt yet: a removal's mark, once published, is never overwritten
  // by what storage says (learn fills only an unknown fact).
  if (!fact.known) fact = user_fact(user);
  return {std::move(in_flight), fact};
}

}  // namespace roster::actors
