// What a stored record tells a watcher (SPEC C8): a user, team, project or
// invitation as it now is, a team member added, changed or gone, a grant
// made, changed or revoked. Records that only index, list or log others
// (names, listings, lookups, inboxes, notifications, the activity log, the
// steps of a removal) tell nothing new and are no change.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "storage/domain.hpp"
#include "storage/port.hpp"

namespace roster::storage {

struct member_change {
  entity_id team = no_entity;
  team_member member;  // only `user` when it is gone
};

struct grant_change {
  entity_id project = no_entity;
  entity_id subject = no_entity;
  bool to_team = false;
  grant access;  // empty when revoked
};

struct change {
  // The user, team or project was removed or deleted (its record stays for
  // audit, or is gone), the member left, the grant was revoked.
  bool removed = false;
  std::variant<user_profile, team_info, member_change, invitation, project_info, grant_change> what;
};

std::optional<change> change_of(const record_write& record);

}  // namespace roster::storage
