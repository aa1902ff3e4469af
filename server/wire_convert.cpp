#include "server/wire_convert.hpp"

#include "roster/utf8.hpp"
#include "storage/record_fill.hpp"

namespace roster::server {
namespace {
std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }
}  // namespace

actors::user_ref from_wire(wire::UserRef::Reader ref) {
  if (ref.isName()) return actors::user_ref{actors::no_entity, text(ref.getName())};
  return actors::user_ref{ref.getId(), {}};
}

actors::tenant_ref from_wire(wire::TenantRef::Reader ref) {
  if (ref.isName()) return actors::tenant_ref{actors::default_tenant, text(ref.getName())};
  return actors::tenant_ref{ref.getId(), {}};
}

actors::member_flags from_wire(wire::MemberFlags::Reader flags) {
  return actors::member_flags{flags.getViewDatasets(), flags.getViewCode()};
}

std::vector<actors::level_spec> from_wire(capnp::List<wire::LevelSpec>::Reader levels) {
  std::vector<actors::level_spec> out;
  for (auto level : levels) out.push_back(actors::level_spec{text(level.getCategory()), text(level.getLevel())});
  return out;
}

actors::grant_subject from_wire(wire::GrantSubject::Reader subject) {
  if (subject.isTeam()) return actors::grant_subject{true, subject.getTeam(), {}};
  return actors::grant_subject{false, actors::no_entity, from_wire(subject.getUser())};
}

actors::project_access from_wire(wire::ProjectAccess::Reader access) {
  actors::project_access out;
  out.levels = from_wire(access.getLevels());
  out.upload = access.getUpload();
  out.download = access.getDownload();
  out.expires = access.getExpires();
  return out;
}

void to_wire(const actors::failure& f, wire::Error::Builder out) {
  out.setCode(static_cast<wire::ErrorCode>(f.code));
  // A sentence may quote what the caller sent; whatever that held, what
  // goes back is UTF-8 that every client can decode.
  out.setMessage(utf8::repaired(f.message));
}

void to_wire(const actors::user_profile& user, wire::User::Builder out) {
  out.setId(user.id);
  out.setUsername(user.username);
  out.setEmail(user.email);
  out.setName(user.name);
  out.setRole(static_cast<wire::PlatformRole>(user.role));
  out.setTeamManager(user.team_manager);
  out.setRemoved(user.removed);
  out.setTenant(user.tenant);
  out.setTenantAdmin(user.tenant_admin);
}

void to_wire(const actors::tenant_summary& tenant, wire::Tenant::Builder out) {
  out.setId(tenant.info.id);
  out.setName(tenant.info.name);
  out.setCreated(tenant.info.created);
  out.setUsers(tenant.users);
  out.setTeams(tenant.teams);
  out.setProjects(tenant.projects);
}

void to_wire(const actors::invitation& inv, wire::Invitation::Builder out) { storage::records::fill(inv, out); }

void to_wire(const actors::notification& note, wire::Notification::Builder out) { storage::records::fill(note, out); }

void to_wire(const actors::team_view& team, wire::Team::Builder out) {
  out.setId(team.info.id);
  out.setName(team.info.name);
  out.setIcon(team.info.icon);
  out.setAdmission(static_cast<wire::Admission>(team.info.admission_mode));
  out.setTenant(team.info.tenant);
  auto members = out.initMembers(static_cast<unsigned>(team.members.size()));
  for (unsigned i = 0; i < members.size(); ++i) {
    const auto& m = team.members[i];
    members[i].setUser(m.user);
    members[i].setUsername(m.username);
    members[i].setRole(static_cast<wire::TeamRole>(m.role));
    members[i].initFlags().setViewDatasets(m.flags.view_datasets);
    members[i].getFlags().setViewCode(m.flags.view_code);
    members[i].setExpires(m.expires);
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

void to_wire(const actors::project_access& access, wire::ProjectAccess::Builder out) {
  auto levels = out.initLevels(static_cast<unsigned>(access.levels.size()));
  for (unsigned i = 0; i < levels.size(); ++i) {
    levels[i].setCategory(access.levels[i].category);
    levels[i].setLevel(access.levels[i].level);
  }
  out.setUpload(access.upload);
  out.setDownload(access.download);
  out.setExpires(access.expires);
}

void to_wire(const actors::project_info& project, wire::Project::Builder out) {
  out.setId(project.id);
  out.setName(project.name);
  out.setKind(static_cast<wire::ProjectKind>(project.kind));
  out.setOwner(project.owner);
  out.setSchema(project.schema);
  out.setPolicy(static_cast<wire::Policy>(project.policy));
  out.setCreated(project.created);
  out.setTenant(project.tenant);
}

void to_wire(const actors::project_page& page, wire::ProjectPage::Builder out) {
  auto projects = out.initProjects(static_cast<unsigned>(page.projects.size()));
  for (unsigned i = 0; i < projects.size(); ++i) to_wire(page.projects[i], projects[i]);
  out.setNext(page.next);
}

void to_wire(const actors::user_page& page, wire::UserPage::Builder out) {
  auto users = out.initUsers(static_cast<unsigned>(page.users.size()));
  for (unsigned i = 0; i < users.size(); ++i) users.set(i, page.users[i]);
  out.setNext(page.next);
}

void to_wire(const actors::collaborator& entry, wire::Collaborator::Builder out) {
  out.setKind(static_cast<wire::Collaborator::Kind>(entry.kind));
  out.setSubject(entry.subject);
  out.setName(entry.name);
  to_wire(entry.access, out.initAccess());
  out.setStatus(static_cast<wire::InvitationStatus>(entry.status));
  out.setInvitation(entry.invitation);
  out.setGuest(entry.guest);
}

void to_wire(const actors::activity_event& event, wire::ActivityEvent::Builder out) {
  out.setTime(event.time);
  out.setActor(event.actor);
  out.setWhat(event.what);
}

void to_wire(const actors::explanation& explanation, wire::Explanation::Builder out) {
  to_wire(explanation.access, out.initAccess());
  out.setPolicy(static_cast<wire::Policy>(explanation.policy));
  out.setBasis(explanation.basis);
  auto grants = out.initGrants(static_cast<unsigned>(explanation.grants.size()));
  for (unsigned i = 0; i < grants.size(); ++i) {
    const auto& g = explanation.grants[i];
    grants[i].setTeam(g.team);
    grants[i].setSubject(g.subject);
    to_wire(g.access, grants[i].initAccess());
    grants[i].setCounted(g.counted);
    grants[i].setNote(g.note);
  }
  auto caps = out.initCaps(static_cast<unsigned>(explanation.caps.size()));
  for (unsigned i = 0; i < caps.size(); ++i) caps.set(i, explanation.caps[i]);
}

}  // namespace roster::server
