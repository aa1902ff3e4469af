#include "actors/directory/direct_route.hpp"

#include "actors/support/lookup.hpp"
#include "domain/validation.hpp"

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

std::optional<tenant_info> find_tenant(storage_port& storage, std::string_view name_or_id) {
  bool by_id = !name_or_id.empty() && name_or_id.size() <= 19 &&
               name_or_id.find_first_not_of("0123456789") == std::string_view::npos;
  auto id = by_id ? std::stoull(std::string(name_or_id)) : no_entity;
  auto wanted = to_lower_ascii(name_or_id);
  if ((by_id && id == default_tenant) || (!by_id && wanted == default_tenant_name))
    return tenant_info{default_tenant, default_tenant_name, 0, false};
  std::optional<tenant_info> found;
  storage.scan("N", [&](std::string_view key, std::string_view value) {
    if (found || key.size() != 9) return;
    auto tenant = records::decode_tenant(value);
    if (!tenant.deleted && (by_id ? tenant.id == id : to_lower_ascii(tenant.name) == wanted)) found = tenant;
  });
  return found;
}

std::optional<entity_id> team_tenant(storage_port& storage, entity_id team) {
  auto listing = storage.get(keys::team_listing(team));
  if (!listing) return std::nullopt;
  return records::decode_team_summary(*listing).tenant;
}

std::optional<entity_id> project_tenant(storage_port& storage, entity_id project) {
  auto listing = storage.get(keys::project_listing(project));
  if (!listing) return std::nullopt;
  return records::decode_project(*listing).tenant;
}

bool outside_tenant(runtime& rt, const user_ref& who, entity_id tenant, entity_id project) {
  if (who.is_service()) return false;
  auto user = resolve_user(rt.storage, who);
  if (!user || rt.user_tenant(*user) == std::optional<entity_id>(tenant)) return false;
  return project == no_entity || !rt.storage.get(keys::user_project(*user, project));
}

}  // namespace roster::actors
