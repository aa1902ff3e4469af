// The stable error codes of Roster, shared by the server, the client library
// and rosterctl. Values match `ErrorCode` in schema/roster.capnp one to one.
#pragma once

#include <optional>
#include <string_view>

namespace roster {

enum class ErrorCode : unsigned {
  invalid_argument = 0,
  not_found,
  already_exists,
  unauthenticated,
  permission_denied,
  already_member,
  already_invited,
  immutable_permissions,
  manager_cannot_leave,
  exceeds_platform_role,
  owns_projects,
  invitation_not_pending,
  invitation_cancelled,
  invitation_expired,
  too_soon,
  overloaded,
  unavailable,
  user_removed,
  revision_not_reached,
  revision_too_old,
  tenant_not_empty,
};

inline constexpr unsigned error_code_count = static_cast<unsigned>(ErrorCode::tenant_not_empty) + 1;

// The snake_case name used in `rosterctl --json` and in documentation.
std::string_view to_string(ErrorCode code);

std::optional<ErrorCode> error_code_from_string(std::string_view name);

}  // namespace roster
