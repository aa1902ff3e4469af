#include "domain/tenancy.hpp"

namespace roster::domain {

authority authority_over(user_standing acting, std::optional<entity_id> acting_tenant, entity_id entity_tenant) {
  if (!acting_tenant || acting.role == platform_role::admin) return authority::platform_admin;
  if (*acting_tenant != entity_tenant) return authority::outsider;
  return acting.tenant_admin && acting.role == platform_role::standard ? authority::tenant_admin : authority::member;
}

user_standing standing_on(user_standing fact, std::optional<entity_id> user_tenant, entity_id project_tenant) {
  if (fact.tenant_admin && fact.role == platform_role::standard && user_tenant == project_tenant)
    fact.role = platform_role::admin;
  return fact;
}

std::optional<failure> may_administer_user(authority acting, const user_profile& target) {
  if (acting == authority::platform_admin) return std::nullopt;
  if (acting == authority::tenant_admin && target.role != platform_role::admin) return std::nullopt;
  if (acting == authority::tenant_admin)
    return failure{ErrorCode::permission_denied, "only platform admins act on a platform admin"};
  return failure{ErrorCode::permission_denied, "only admins of the user's tenant or of the platform do this"};
}

std::optional<failure> check_role_change(authority acting, const user_profile& target, platform_role to) {
  if (static_cast<unsigned>(to) > static_cast<unsigned>(platform_role::read_only))
    return failure{ErrorCode::invalid_argument, "unknown platform role"};
  if (auto refused = may_administer_user(acting, target)) return refused;
  if (to == platform_role::admin && acting != authority::platform_admin)
    return failure{ErrorCode::permission_denied, "only platform admins make platform admins"};
  if (to == platform_role::read_only && target.tenant_admin)
    return failure{ErrorCode::exceeds_platform_role,
                   "'" + target.username + "' is a tenant admin: take the flag first, then make them read-only"};
  return std::nullopt;
}

std::optional<failure> check_tenant_admin_flag(const user_profile& target, bool on) {
  if (on && target.role == platform_role::read_only)
    return failure{ErrorCode::exceeds_platform_role,
                   "'" + target.username + "' is read-only: a tenant admin needs at least the standard role"};
  return std::nullopt;
}

}  // namespace roster::domain
