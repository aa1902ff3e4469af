// A project or shared resource (SPEC P1-P8, C1): its schema, owner, grants,
// invitations, and a copy of the members of every granted team so that a
// check is answered here, in one hop.
#pragma once

#include <optional>

#include <caf/fwd.hpp>

#include "actors/support/domain.hpp"

namespace roster::actors {

class runtime;

// Spawned by the directory. With `created`, the project is new and persists
// its first record; otherwise it loads itself and its teams' members. It
// publishes what checks read in rt->checks.
caf::actor spawn_project_actor(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id id,
                               std::optional<project_info> created);

}  // namespace roster::actors
