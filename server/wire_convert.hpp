// Translation between the wire structs of schema/roster.capnp and the
// domain values the actors speak. No rules here: shapes only.
#pragma once

#include "actors/messages.hpp"
#include "actors/support/domain.hpp"
#include "roster/schema/roster.capnp.h"

namespace roster::server {

actors::user_ref from_wire(wire::UserRef::Reader ref);
actors::member_flags from_wire(wire::MemberFlags::Reader flags);
actors::tenant_ref from_wire(wire::TenantRef::Reader ref);
actors::project_access from_wire(wire::ProjectAccess::Reader access);
actors::grant_subject from_wire(wire::GrantSubject::Reader subject);
std::vector<actors::level_spec> from_wire(capnp::List<wire::LevelSpec>::Reader levels);

void to_wire(const actors::failure& f, wire::Error::Builder out);
void to_wire(const actors::user_profile& user, wire::User::Builder out);
void to_wire(const actors::tenant_summary& tenant, wire::Tenant::Builder out);
void to_wire(const actors::invitation& inv, wire::Invitation::Builder out);
void to_wire(const actors::notification& note, wire::Notification::Builder out);
void to_wire(const actors::team_view& team, wire::Team::Builder out);
void to_wire(const actors::inbox_view& inbox, wire::Inbox::Builder out);
void to_wire(const actors::project_access& access, wire::ProjectAccess::Builder out);
void to_wire(const actors::project_info& project, wire::Project::Builder out);
void to_wire(const actors::project_page& page, wire::ProjectPage::Builder out);
void to_wire(const actors::user_page& page, wire::UserPage::Builder out);
void to_wire(const actors::collaborator& entry, wire::Collaborator::Builder out);
void to_wire(const actors::activity_event& event, wire::ActivityEvent::Builder out);
void to_wire(const actors::explanation& explanation, wire::Explanation::Builder out);

}  // namespace roster::server
