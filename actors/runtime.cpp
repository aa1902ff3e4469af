#include "actors/runtime.hpp"

#include "actors/lookup.hpp"

namespace roster::actors {

platform_facts::fact runtime::user_fact(entity_id user) {
  auto fact = facts.get(user);
  if (fact.known || user == no_entity) return fact;
  auto profile = load_user(storage, user);
  if (!profile) return fact;
  facts.learn(user, {true, true, profile->removed, profile->role});
  return facts.get(user);
}

}  // namespace roster::actors
