// Idle actors stop so that memory follows the active set, not the data set
// (DESIGN "Durability": actors activate from their records on first use and
// passivate when idle).
//
// The directory runs the protocol, since every message a user, team or
// project actor receives passes through it: it asks an actor it has not
// forwarded anything to for a while whether it could stop (`quiescent_atom`,
// answered true only when nothing waits for storage and no change is still
// at work), and, if the answer is yes and it still forwarded nothing since
// asking, forgets the actor and tells it to stop (`passivate_atom`). The
// actor's mailbox is then empty, so no message is lost; its next use
// activates it again from storage, which holds every change it made.
#pragma once

#include <functional>

#include "actors/messages.hpp"

namespace roster::actors {

// The two handlers every passivating actor adds to its behavior.
inline caf::message_handler passivation_handlers(caf::event_based_actor* self, std::function<bool()> can_stop) {
  return {
      [can_stop](quiescent_atom) { return can_stop(); },
      [self](passivate_atom) { self->quit(); },
  };
}

}  // namespace roster::actors
