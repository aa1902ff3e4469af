// Translation between the wire structs of schema/roster.capnp and the
// domain values the actors speak. No rules here: shapes only.
#pragma once

#include "actors/domain.hpp"
#include "actors/messages.hpp"
#include "roster/schema/roster.capnp.h"

namespace roster::server {

actors::user_ref from_wire(wire::UserRef::Reader ref);
actors::member_flags from_wire(wire::MemberFlags::Reader flags);
actors::project_access from_wire(wire::ProjectAccess::Reader access);

void to_wire(const actors::failure& f, wire::Error::Builder out);
void to_wire(const actors::invitation& inv, wire::Invitation::Builder out);
void to_wire(const actors::notification& note, wire::Notification::Builder out);
void to_wire(const actors::team_view& team, wire::Team::Builder out);
void to_wire(const actors::inbox_view& inbox, wire::Inbox::Builder out);

}  // namespace roster::server
