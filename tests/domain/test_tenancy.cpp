// N2, N4: the rules of who stands how towards an entity of a tenant, and
// what an administrator may do to a user.
#include <catch2/catch.hpp>

#include "domain/tenancy.hpp"

using namespace roster::domain;
using roster::ErrorCode;

namespace {

constexpr entity_id acme = 5, globex = 6;

user_standing standing(platform_role role, bool tenant_admin = false) {
  return user_standing{true, true, false, role, tenant_admin};
}

user_profile user_of(platform_role role, bool tenant_admin = false) {
  user_profile u;
  u.username = "bob";
  u.role = role;
  u.tenant = acme;
  u.tenant_admin = tenant_admin;
  return u;
}

}  // namespace

TEST_CASE("N2 N4 how a caller stands towards an entity of a tenant", "[domain][tenant]") {
  CHECK(authority_over(standing(platform_role::standard), std::nullopt, acme) == authority::platform_admin);
  CHECK(authority_over(standing(platform_role::admin), globex, acme) == authority::platform_admin);
  CHECK(authority_over(standing(platform_role::standard), globex, acme) == authority::outsider);
  CHECK(authority_over(standing(platform_role::standard, true), globex, acme) == authority::outsider);
  CHECK(authority_over(standing(platform_role::standard), acme, acme) == authority::member);
  CHECK(authority_over(standing(platform_role::standard, true), acme, acme) == authority::tenant_admin);
  // A read-only user's flag (which the rules never let arise) gives nothing.
  CHECK(authority_over(standing(platform_role::read_only, true), acme, acme) == authority::member);
}

TEST_CASE("N4 a tenant admin decides access as a platform admin on its tenant's projects only", "[domain][tenant]") {
  CHECK(standing_on(standing(platform_role::standard, true), acme, acme).role == platform_role::admin);
  CHECK(standing_on(standing(platform_role::standard, true), acme, globex).role == platform_role::standard);
  CHECK(standing_on(standing(platform_role::standard, true), std::nullopt, acme).role == platform_role::standard);
  CHECK(standing_on(standing(platform_role::standard), acme, acme).role == platform_role::standard);
}

TEST_CASE("N4 U2 role changes: only platform admins make or change platform admins", "[domain][tenant]") {
  CHECK_FALSE(check_role_change(authority::tenant_admin, user_of(platform_role::standard), platform_role::read_only));
  CHECK(check_role_change(authority::tenant_admin, user_of(platform_role::standard), platform_role::admin)->code ==
        ErrorCode::permission_denied);
  CHECK(check_role_change(authority::tenant_admin, user_of(platform_role::admin), platform_role::standard)->code ==
        ErrorCode::permission_denied);
  CHECK(check_role_change(authority::member, user_of(platform_role::standard), platform_role::read_only)->code ==
        ErrorCode::permission_denied);
  CHECK_FALSE(check_role_change(authority::platform_admin, user_of(platform_role::standard), platform_role::admin));
  CHECK(check_role_change(authority::platform_admin, user_of(platform_role::standard, true), platform_role::read_only)
            ->code == ErrorCode::exceeds_platform_role);
  CHECK(check_role_change(authority::platform_admin, user_of(platform_role::standard), static_cast<platform_role>(7))
            ->code == ErrorCode::invalid_argument);
}

TEST_CASE("N4 a read-only user cannot be made a tenant admin", "[domain][tenant]") {
  CHECK(check_tenant_admin_flag(user_of(platform_role::read_only), true)->code == ErrorCode::exceeds_platform_role);
  CHECK_FALSE(check_tenant_admin_flag(user_of(platform_role::read_only), false));
  CHECK_FALSE(check_tenant_admin_flag(user_of(platform_role::standard), true));
}
