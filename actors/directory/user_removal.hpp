// U4: removing a user from the platform, as a list of steps persisted with
// the removal mark (R<user>) and run until every one is done: the user
// leaves every team (a manager hands the role on), loses every grant, and
// every pending invitation they sent or received is cancelled. Each step is
// idempotent, so a removal interrupted by a crash resumes at the next start.
#pragma once

#include <caf/fwd.hpp>

#include "actors/support/domain.hpp"

namespace roster::actors {

class runtime;

// One short-lived actor per removal. Started fresh, it answers one
// (acting, user_remove_cmd) once every step is done; resumed (`resume`), it
// runs the steps at once and quits.
caf::behavior user_removal(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id user,
                           bool resume);

}  // namespace roster::actors
