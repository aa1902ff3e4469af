// N2, N4: who an acting user is to an entity of some tenant, and what that
// lets them do to users. The actors ask these rules; they hold no state.
#pragma once

#include <cstdint>
#include <optional>

#include "domain/types.hpp"

namespace roster::domain {

// How the acting caller stands towards an entity (a user, team or project)
// of one tenant, from the least to the most rights.
enum class authority : std::uint8_t {
  outsider,        // another tenant's user: the entity does not exist for them (N2)
  member,          // a user of the entity's tenant, with their own rights there
  tenant_admin,    // N4: a platform admin's rights, inside this tenant only
  platform_admin,  // U2: every right in every tenant (the service too)
};

// `acting_tenant` is the acting user's tenant; nullopt stands for the
// service, which acts with a platform admin's rights.
authority authority_over(user_standing acting, std::optional<entity_id> acting_tenant, entity_id entity_tenant);

// At least a tenant admin's rights over the entity.
inline bool administers(authority a) { return a >= authority::tenant_admin; }

// The standing access is decided with on a project of `project_tenant`: a
// tenant admin of that tenant stands there as a platform admin (N4, "every
// team and project of the tenant"); elsewhere as the role says.
user_standing standing_on(user_standing fact, std::optional<entity_id> user_tenant, entity_id project_tenant);

// N4: what an administrator may do to a user. A tenant admin administers
// its tenant's users but not its platform admins, whom only a platform
// admin changes or removes. Nullopt when allowed.
std::optional<failure> may_administer_user(authority acting, const user_profile& target);

// U2, N4: a role change by `acting` (who may administer the target). Only
// a platform admin makes a platform admin; a tenant admin stays at least
// standard (an administrator that may only view is no administrator).
std::optional<failure> check_role_change(authority acting, const user_profile& target, platform_role to);

// N4: giving (`on`) or taking the tenant-admin flag.
std::optional<failure> check_tenant_admin_flag(const user_profile& target, bool on);

}  // namespace roster::domain
