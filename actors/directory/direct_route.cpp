#include "actors/directory/direct_route.hpp"

#include "actors/support/lookup.hpp"

namespace roster::actors {

caf::expected<entity_id> resolve_acting(runtime& rt, const user_ref& who) {
  if (who.is_service()) return no_entity;
  auto id = who.name.empty() ? std::optional<entity_id>{who.id} : find_user(rt.storage, who.name);
  if (id) {
    auto fact = rt.user_fact(*id);
    if (fact.exists && !fact.removed) return *id;
  }
  return make_failure(ErrorCode::unauthenticated, "the acting user does not exist or was removed");
}

std::optional<std::pair<char, entity_id>> owner_of_invitation(runtime& rt, entity_id invitation) {
  auto locator = rt.storage.get(keys::invitation_locator(invitation));
  if (!locator) return std::nullopt;
  target_kind kind;
  entity_id target;
  records::decode_locator(*locator, &kind, &target);
  return std::pair{kind == target_kind::team ? 'T' : 'P', target};
}

}  // namespace roster::actors
