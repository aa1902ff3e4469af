// The directory (DESIGN "Ownership of facts"): unique usernames and e-mails,
// id allocation for new entities, and id -> actor, activating actors from
// storage on first use. Every call from the gateway enters here as
// (user_ref acting, command) and is forwarded to the actor that owns it.
#pragma once

#include <caf/fwd.hpp>

namespace roster::actors {

class runtime;

// The one directory of `rt`'s actors; stopping it stops every actor it spawned.
caf::actor spawn_directory(caf::actor_system& system, runtime* rt);

}  // namespace roster::actors
