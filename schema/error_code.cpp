#include "roster/error_code.hpp"

#include <array>

namespace roster {
namespace {

constexpr std::array<std::string_view, error_code_count> names = {
    "invalid_argument",
    "not_found",
    "already_exists",
    "unauthenticated",
    "permission_denied",
    "already_member",
    "already_invited",
    "immutable_permissions",
    "manager_cannot_leave",
    "exceeds_platform_role",
    "owns_projects",
    "invitation_not_pending",
    "invitation_cancelled",
    "invitation_expired",
    "too_soon",
    "overloaded",
    "unavailable",
    "user_removed",
    "revision_not_reached",
    "revision_too_old",
    "tenant_not_empty",
};

}  // namespace

std::string_view to_string(ErrorCode code) {
  auto index = static_cast<unsigned>(code);
  return index < names.size() ? names[index] : std::string_view{"unknown"};
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
  for (unsigned i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<ErrorCode>(i);
  return std::nullopt;
}

}  // namespace roster
