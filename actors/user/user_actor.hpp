// A user (SPEC U1, I9): profile and inbox — the invitations addressed to the
// user (mirrored from their owners) and notifications.
#pragma once

#include <optional>

#include <caf/fwd.hpp>

#include "actors/support/domain.hpp"

namespace roster::actors {

class runtime;

// Spawned by the directory; loads the profile and inbox from storage.
caf::actor spawn_user_actor(caf::event_based_actor* parent, runtime* rt, entity_id id);

}  // namespace roster::actors
