// P9: an actor's one timer for the first access it holds that ends (a
// project's grants, a team's memberships). Checks are exact at every instant
// without it; when it fires, the actor removes what ended and tells whom it
// concerns. While it is set the actor stays active, so that they are told at
// the instant rather than at its next activation.
#pragma once

#include <algorithm>
#include <chrono>

#include "actors/messages.hpp"

namespace roster::actors {

class expiry_timer {
 public:
  // Sets the timer for `expires` (0: nothing ends), unless it is set for
  // then or sooner; it fires as an end_expired_atom to `self`.
  void schedule(caf::event_based_actor* self, millis expires, millis now) {
    if (expires == 0 || (at_ != 0 && at_ <= expires)) return;
    at_ = expires;
    self->delayed_send(self, std::chrono::milliseconds(std::max<millis>(expires - now, 0)), end_expired_atom_v);
  }
  // The end_expired_atom came: the actor schedules the next end, if any.
  void fired() { at_ = 0; }
  bool pending() const { return at_ != 0; }

 private:
  millis at_ = 0;  // when the timer set fires; 0 for none
};

}  // namespace roster::actors
