#include "server/wire_convert.hpp"

#include "actors/record_fill.hpp"

namespace roster::server {
namespace {
std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }
}  // namespace

actors::user_ref from_wire(wire::UserRef::Reader ref) {
  if (ref.isName()) return actors::user_ref{actors::no_entity, text(ref.getName())};
  return actors::user_ref{ref.getId(), {}};
}

actors::member_flags from_wire(wire::MemberFlags::Reader flags) {
  return actors::member_flags{flags.getViewDatasets(), flags.getViewCode()};
}

actors::project_access from_wire(wire::ProjectAccess::Reader access) {
  actors::project_access out;
  for (auto level : access.getLevels())
    out.levels.push_back(actors::level_spec{text(level.getCategory()), text(level.getLevel())});
  out.upload = access.getUpload();
  out.download = access.getDownload();
  return out;
}

void to_wire(const actors::failure& f, wire::Error::Builder out) {
  out.setCode(static_cast<wire::ErrorCode>(f.code));
  out.setMessage(f.message);
}

void to_wire(const actors::invitation& inv, wire::Invitation::Builder out) { actors::records::fill(inv, out); }

void to_wire(const actors::notification& note, wire::Notification::Builder out) { actors::records::fill(note, out); }

void to_wire(const actors::team_view& team, wire::Team::Builder out) {
  out.setId(team.info.id);
  out.setName(team.info.name);
  out.setIcon(team.info.icon);
  out.setAdmission(static_cast<wire::Admission>(team.info.admission_mode));
  auto members = out.initMembers(static_cast<unsigned>(team.members.size()));
  for (unsigned i = 0; i < members.size(); ++i) {
    const auto& m = team.members[i];
    members[i].setUser(m.user);
    members[i].setUsername(m.username);
    members[i].setRole(static_cast<wire::TeamRole>(m.role));
    members[i].initFlags().setViewDatasets(m.flags.view_datasets);
    members[i].getFlags().setViewCode(m.flags.view_code);
  }
  auto invitations = out.initInvitations(static_cast<unsigned>(team.invitations.size()));
  for (unsigned i = 0; i < invitations.size(); ++i) to_wire(team.invitations[i], invitations[i]);
}

void to_wire(const actors::inbox_view& inbox, wire::Inbox::Builder out) {
  out.setUnread(inbox.unread);
  auto invitations = out.initInvitations(static_cast<unsigned>(inbox.invitations.size()));
  for (unsigned i = 0; i < invitations.size(); ++i) to_wire(inbox.invitations[i], invitations[i]);
  auto notes = out.initNotifications(static_cast<unsigned>(inbox.notifications.size()));
  for (unsigned i = 0; i < notes.size(); ++i) to_wire(inbox.notifications[i], notes[i]);
  out.setNext(inbox.next);
}

}  // namespace roster::server
