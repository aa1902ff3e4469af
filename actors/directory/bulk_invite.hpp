// I8: one call invites many people to many teams and projects. Each
// (target, invitee) pair is an ordinary invitation, made by its target with
// the usual rules; one failing does not undo the others.
#pragma once

#include <caf/fwd.hpp>

#include "actors/support/domain.hpp"

namespace roster::actors {

// One short-lived actor per call: answers one bulk_invite_cmd made by
// `acting` (no_entity: the service) with one result per pair, targets first,
// in the order given, and quits.
caf::behavior bulk_invite(caf::event_based_actor* self, caf::actor directory, entity_id acting);

}  // namespace roster::actors
