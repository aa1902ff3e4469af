// A team (SPEC T1-T9): its members with role and flags, its invitations (the
// owner of their status) and the projects that hold a copy of its members.
#pragma once

#include <optional>

#include <caf/fwd.hpp>

#include "actors/support/domain.hpp"

namespace roster::actors {

class runtime;

struct new_team {
  team_info info;
  team_member manager;
};

// Spawned by the directory. With `created`, the team is new and persists its
// first records; otherwise it loads itself from storage.
caf::actor spawn_team_actor(caf::event_based_actor* parent, runtime* rt, caf::actor directory, entity_id id,
                            std::optional<new_team> created);

}  // namespace roster::actors
