// Idle actors stop so that memory follows the active set, not the data set
// (DESIGN "Durability": actors activate from their records on first use and
// passivate when idle).
//
// The directory runs the protocol. Every so often it looks for actors that
// nobody used for a while — neither through it nor directly through the
// registry (actor_registry.hpp) — and, for each, withdraws it from the
// registry and then asks it to stop (`passivate_atom`). Withdrawn first, the
// actor finds every message sent to it directly ahead of the question in its
// mailbox, and messages that reach the directory meanwhile wait there. It
// stops only when nothing waits for storage and no change is still at work,
// and answers whether it did. The waiting messages then go to it (it stayed,
// and is published again) or to a fresh actor, which activates from storage:
// that holds every change the old one made. No message is lost or reordered.
#pragma once

#include <functional>

#include "actors/messages.hpp"

namespace roster::actors {

// The handler every passivating actor adds to its behavior.
inline caf::message_handler passivation_handlers(caf::event_based_actor* self, std::function<bool()> can_stop) {
  return {
      [self, can_stop](passivate_atom) {
        if (!can_stop()) return false;
        self->quit();
        return true;
      },
  };
}

}  // namespace roster::actors
