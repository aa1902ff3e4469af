// C4 and P1: the projects a user sees (or on which they may do an action),
// in id order, paged. One short-lived actor per call, so that the storage
// scans and the questions to each project never hold up the directory.
#pragma once

#include <caf/fwd.hpp>

#include "actors/support/domain.hpp"

namespace roster::actors {

class runtime;

// Answers one lookup_projects_cmd (whose user is resolved: `user`, or
// no_entity for the service) and quits. `everything`: the user is a
// platform admin or the service, who see every project.
caf::behavior project_lookup(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id user,
                             bool everything);

}  // namespace roster::actors
