#include "storage/records.hpp"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstring>
#include <optional>

#include "roster/schema/roster.capnp.h"
#include "storage/keys.hpp"
#include "storage/record_fill.hpp"

namespace roster::storage::records {
namespace {

template <class Builder, class Fill>
std::string build(Fill&& fill) {
  capnp::MallocMessageBuilder message(64);
  fill(message.initRoot<Builder>());
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

// A reader over a copy of `bytes` in word-aligned memory.
class aligned_reader {
 public:
  explicit aligned_reader(std::string_view bytes) : words_(kj::heapArray<capnp::word>((bytes.size() + 7) / 8)) {
    std::memset(words_.begin(), 0, words_.size() * sizeof(capnp::word));
    std::memcpy(words_.begin(), bytes.data(), bytes.size());
    reader_.emplace(words_.asPtr());
  }
  template <class T>
  typename T::Reader root() {
    return reader_->getRoot<T>();
  }

 private:
  kj::Array<capnp::word> words_;
  std::optional<capnp::FlatArrayMessageReader> reader_;
};

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

void fill_access(wire::Access::Builder out, const invitation& inv) {
  if (inv.kind == target_kind::team) {
    auto flags = out.initTeam();
    flags.setViewDatasets(inv.team_flags.view_datasets);
    flags.setViewCode(inv.team_flags.view_code);
    return;
  }
  auto access = out.initProject();
  auto levels = access.initLevels(static_cast<unsigned>(inv.project.levels.size()));
  for (unsigned i = 0; i < levels.size(); ++i) {
    levels[i].setCategory(inv.project.levels[i].category);
    levels[i].setLevel(inv.project.levels[i].level);
  }
  access.setUpload(inv.project.upload);
  access.setDownload(inv.project.download);
  access.setExpires(inv.project.expires);
}

}  // namespace

std::string encode(const user_profile& u) {
  return build<wire::UserRecord>([&](wire::UserRecord::Builder r) {
    r.setId(u.id);
    r.setUsername(u.username);
    r.setEmail(u.email);
    r.setName(u.name);
    r.setRole(static_cast<wire::PlatformRole>(u.role));
    r.setTeamManager(u.team_manager);
    r.setRemoved(u.removed);
    r.setCreated(u.created);
    r.setTenant(u.tenant);
    r.setTenantAdmin(u.tenant_admin);
  });
}

std::string encode(const team_info& t) {
  return build<wire::TeamRecord>([&](wire::TeamRecord::Builder r) {
    r.setId(t.id);
    r.setName(t.name);
    r.setIcon(t.icon);
    r.setAdmission(static_cast<wire::Admission>(t.admission_mode));
    r.setCreated(t.created);
    r.setDeleted(t.deleted);
    r.setTenant(t.tenant);
  });
}

std::string encode(const team_summary& t) {
  return build<wire::TeamRecord>([&](wire::TeamRecord::Builder r) {
    r.setId(t.id);
    r.setName(t.name);
    r.setIcon(t.icon);
    r.setMemberCount(t.members);
    r.setTenant(t.tenant);
  });
}

std::string encode(const team_member& m) {
  return build<wire::MemberRecord>([&](wire::MemberRecord::Builder r) {
    r.setUser(m.user);
    r.setUsername(m.username);
    r.setRole(static_cast<wire::TeamRole>(m.role));
    r.initFlags().setViewDatasets(m.flags.view_datasets);
    r.getFlags().setViewCode(m.flags.view_code);
    r.setExpires(m.expires);
  });
}

void fill(const invitation& inv, wire::Invitation::Builder r) {
  r.setId(inv.id);
  r.setTargetKind(static_cast<wire::TargetKind>(inv.kind));
  r.setTarget(inv.target);
  r.setInviter(inv.inviter);
  r.setInvitee(inv.invitee);
  r.setInviteeEmail(inv.invitee_email);
  fill_access(r.initAccess(), inv);
  r.setMessage(inv.message);
  r.setCreated(inv.created);
  r.setExpires(inv.expires);
  r.setStatus(static_cast<wire::InvitationStatus>(inv.status));
  r.setReminders(inv.reminders);
  r.setRemindedAt(inv.reminded_at);
  r.setTargetName(inv.target_name);
  r.setInviterName(inv.inviter_name);
  r.setInviteeName(inv.invitee_name);
  r.setMembershipExpires(inv.membership_expires);
}

void fill(const notification& n, wire::Notification::Builder r) {
  r.setId(n.id);
  r.setKind(static_cast<wire::NotificationKind>(n.kind));
  r.setRead(n.read);
  r.setTime(n.time);
  r.setInvitation(n.invitation);
  r.setSubject(n.subject);
  r.setActor(n.actor);
}

std::string encode(const invitation& inv) {
  return build<wire::Invitation>([&](wire::Invitation::Builder r) { fill(inv, r); });
}

std::string encode(const notification& n) {
  return build<wire::Notification>([&](wire::Notification::Builder r) { fill(n, r); });
}

std::string encode(const project_info& p) {
  return build<wire::ProjectRecord>([&](wire::ProjectRecord::Builder r) {
    r.setId(p.id);
    r.setName(p.name);
    r.setKind(static_cast<wire::ProjectKind>(p.kind));
    r.setOwner(p.owner);
    r.setSchema(p.schema);
    r.setPolicy(static_cast<wire::Policy>(p.policy));
    r.setCreated(p.created);
    r.setDeleted(p.deleted);
    r.setTenant(p.tenant);
  });
}

std::string encode(const tenant_info& t) {
  return build<wire::TenantRecord>([&](wire::TenantRecord::Builder r) {
    r.setId(t.id);
    r.setName(t.name);
    r.setCreated(t.created);
    r.setDeleted(t.deleted);
  });
}

tenant_info decode_tenant(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::TenantRecord>();
  return tenant_info{r.getId(), text(r.getName()), r.getCreated(), r.getDeleted()};
}

std::string encode(const activity_event& e) {
  return build<wire::ActivityRecord>([&](wire::ActivityRecord::Builder r) {
    r.setTime(e.time);
    r.setActor(e.actor);
    r.setWhat(e.what);
  });
}

std::string encode_grant(bool to_team, entity_id subject, const grant& g) {
  return build<wire::GrantRecord>([&](wire::GrantRecord::Builder r) {
    r.setSubjectKind(to_team ? wire::GrantRecord::SubjectKind::TEAM : wire::GrantRecord::SubjectKind::USER);
    r.setSubject(subject);
    auto levels = r.initLevels(static_cast<unsigned>(g.levels.size()));
    for (unsigned i = 0; i < levels.size(); ++i) levels.set(i, g.levels[i]);
    r.setUpload(g.upload);
    r.setDownload(g.download);
    r.setExpires(g.expires);
  });
}

std::string encode_locator(target_kind kind, entity_id target) {
  return build<wire::InvitationLocator>([&](wire::InvitationLocator::Builder r) {
    r.setKind(static_cast<wire::TargetKind>(kind));
    r.setTarget(target);
  });
}

std::string encode_id(entity_id id) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((id >> (56 - 8 * i)) & 0xff);
  return out;
}

user_profile decode_user(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::UserRecord>();
  user_profile u;
  u.id = r.getId();
  u.username = text(r.getUsername());
  u.email = text(r.getEmail());
  u.name = text(r.getName());
  u.role = static_cast<platform_role>(r.getRole());
  u.team_manager = r.getTeamManager();
  u.removed = r.getRemoved();
  u.created = r.getCreated();
  u.tenant = r.getTenant();
  u.tenant_admin = r.getTenantAdmin();
  return u;
}

team_info decode_team(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::TeamRecord>();
  return team_info{r.getId(),      text(r.getName()), text(r.getIcon()), static_cast<admission>(r.getAdmission()),
                   r.getCreated(), r.getDeleted(),    r.getTenant()};
}

team_summary decode_team_summary(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::TeamRecord>();
  return team_summary{r.getId(), text(r.getName()), text(r.getIcon()), r.getMemberCount(), r.getTenant()};
}

team_member decode_member(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::MemberRecord>();
  return team_member{r.getUser(), text(r.getUsername()), static_cast<team_role>(r.getRole()),
                     member_flags{r.getFlags().getViewDatasets(), r.getFlags().getViewCode()}, r.getExpires()};
}

invitation decode_invitation(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::Invitation>();
  invitation inv;
  inv.id = r.getId();
  inv.kind = static_cast<target_kind>(r.getTargetKind());
  inv.target = r.getTarget();
  inv.inviter = r.getInviter();
  inv.invitee = r.getInvitee();
  inv.invitee_email = text(r.getInviteeEmail());
  auto access = r.getAccess();
  if (access.isTeam()) {
    inv.team_flags = member_flags{access.getTeam().getViewDatasets(), access.getTeam().getViewCode()};
  } else {
    auto p = access.getProject();
    for (auto level : p.getLevels())
      inv.project.levels.push_back(level_spec{text(level.getCategory()), text(level.getLevel())});
    inv.project.upload = p.getUpload();
    inv.project.download = p.getDownload();
    inv.project.expires = p.getExpires();
  }
  inv.message = text(r.getMessage());
  inv.created = r.getCreated();
  inv.expires = r.getExpires();
  inv.status = static_cast<invitation_status>(r.getStatus());
  inv.reminders = r.getReminders();
  inv.reminded_at = r.getRemindedAt();
  inv.target_name = text(r.getTargetName());
  inv.inviter_name = text(r.getInviterName());
  inv.invitee_name = text(r.getInviteeName());
  inv.membership_expires = r.getMembershipExpires();
  return inv;
}

notification decode_notification(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::Notification>();
  return notification{r.getId(),         static_cast<notification_kind>(r.getKind()),
                      r.getRead(),       r.getTime(),
                      r.getInvitation(), r.getSubject(),
                      r.getActor()};
}

project_info decode_project(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::ProjectRecord>();
  return project_info{r.getId(),      text(r.getName()),   static_cast<project_kind>(r.getKind()),
                      r.getOwner(),   text(r.getSchema()), static_cast<resolution_policy>(r.getPolicy()),
                      r.getCreated(), r.getDeleted(),      r.getTenant()};
}

activity_event decode_activity(std::string_view bytes) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::ActivityRecord>();
  return activity_event{r.getTime(), r.getActor(), text(r.getWhat())};
}

grant decode_grant(std::string_view bytes, entity_id* subject, bool* to_team) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::GrantRecord>();
  *subject = r.getSubject();
  *to_team = r.getSubjectKind() == wire::GrantRecord::SubjectKind::TEAM;
  grant g;
  for (auto level : r.getLevels()) g.levels.push_back(level);
  g.upload = r.getUpload();
  g.download = r.getDownload();
  g.expires = r.getExpires();
  return g;
}

void decode_locator(std::string_view bytes, target_kind* kind, entity_id* target) {
  aligned_reader reader(bytes);
  auto r = reader.root<wire::InvitationLocator>();
  *kind = static_cast<target_kind>(r.getKind());
  *target = r.getTarget();
}

entity_id decode_id(std::string_view bytes) { return keys::read_id(bytes); }

}  // namespace roster::storage::records
